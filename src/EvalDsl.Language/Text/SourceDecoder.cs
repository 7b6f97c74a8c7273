using System;
using System.Text;

namespace EvalDsl.Text;

/// <summary>Turns the bytes of a spec file into text, or says why it is not UTF-8 text.</summary>
internal static class SourceDecoder
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes UTF-8 (a BOM is dropped). Returns null and a reason when the bytes are not UTF-8 text.</summary>
    public static string? TryDecode(byte[] bytes, out string? problem)
    {
        problem = null;
        var offset = 0;
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) offset = 3;
        else if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            problem = "the file is UTF-16 text; save it as UTF-8";
            return null;
        }

        string text;
        try
        {
            text = Strict.GetString(bytes, offset, bytes.Length - offset);
        }
        catch (DecoderFallbackException ex)
        {
            var at = ex.Index >= 0 ? $" at byte {ex.Index + offset}" : "";
            problem = $"the file is not valid UTF-8 text (invalid byte sequence{at}); save it as UTF-8";
            return null;
        }

        if (LooksBinary(text))
        {
            problem = "the file looks binary (it holds NUL or control characters), not text";
            return null;
        }
        return text;
    }

    /// <summary>Removes a leading U+FEFF left by a caller that decoded the text itself.</summary>
    public static string StripBom(string text) => text.Length > 0 && text[0] == '\uFEFF' ? text.Substring(1) : text;

    // A text file may carry a stray control character in a string; a binary file is full of them.
    // Like git, look at the first 8000 characters: NUL or other C0 controls making up more than
    // one in thirty-two of them (or any NUL in a file shorter than a line) mean binary.
    private static bool LooksBinary(string text)
    {
        var n = Math.Min(text.Length, 8000);
        if (n == 0) return false;
        var controls = 0;
        for (var i = 0; i < n; i++)
        {
            var c = text[i];
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') controls++;
        }
        return controls > 0 && (controls * 32 > n || n < 16);
    }
}
