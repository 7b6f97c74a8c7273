using System;

namespace EvalDsl.Runtime;

/// <summary>How a file error is said in one line of product text.</summary>
public static class FileErrors
{
    /// <summary>Why a file could not be read or written, without the path .NET appends to the message.</summary>
    public static string Reason(Exception ex)
    {
        if (ex is null) throw new ArgumentNullException(nameof(ex));
        var message = ex.Message;
        var cut = message.IndexOf(" : '", StringComparison.Ordinal);
        if (cut > 0) message = message.Substring(0, cut);
        return message.Trim().TrimEnd('.');
    }
}
