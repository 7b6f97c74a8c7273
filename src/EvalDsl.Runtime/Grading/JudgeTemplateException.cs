using System;

namespace EvalDsl.Runtime.Grading;

/// <summary>A judge template that cannot be used: it does not parse, fails to render, or leaves out what the judge must see.</summary>
internal sealed class JudgeTemplateException : Exception
{
    public JudgeTemplateException(string message) : base(message) { }
}
