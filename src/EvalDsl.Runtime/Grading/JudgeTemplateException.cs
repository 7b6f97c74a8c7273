using System;

namespace EvalDsl.Runtime.Grading;

/// <summary>A judge template that cannot be used: it does not parse, fails to render, or leaves out what the judge must see.</summary>
public sealed class JudgeTemplateException : Exception
{
    /// <summary>A template problem, said as <c>path(line,col): error: …</c>.</summary>
    public JudgeTemplateException(string message) : base(message) { }
}
