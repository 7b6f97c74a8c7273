using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// Removes every configured secret from any text that may reach a user, a report or a file: <c>OPENAI_API_KEY</c>,
/// every <c>EVALDSL_KEY_*</c> variable, every variable a binding reads its key or a header from, and credentials in
/// URLs (user info, secret-looking query values).
/// </summary>
public static class Secrets
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "[redacted]";

    // Shorter values would redact ordinary words; no real key is this short.
    private const int MinimumLength = 4;

    private static readonly ConcurrentDictionary<string, byte> Registered = new(StringComparer.Ordinal);

    private static readonly Regex UserInfo = new(@"(?<scheme>\b[a-z][a-z0-9+.\-]*://)(?<info>[^\s/?#@'""<>]+)@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly Regex SecretQuery = new(
        @"(?<name>[?&;](?:[a-z0-9_\-]*(?:key|token|secret|password|passwd|pwd|auth|signature|sig|credential)[a-z0-9_\-]*|code)=)(?<value>[^&#\s'""<>]+)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>Adds a value to redact (a key or a header read from the environment).</summary>
    public static void Register(string? value)
    {
        if (value is { Length: >= MinimumLength } && Registered.TryAdd(value, 0)) System.Threading.Interlocked.Increment(ref _registrations);
    }

    private static int _registrations;

    /// <summary>Counts the values registered so far: a list from <see cref="Known"/> stays complete while this is unchanged and the environment is.</summary>
    internal static int Registrations => System.Threading.Volatile.Read(ref _registrations);

    /// <summary>Every secret known now: the registered ones, <c>OPENAI_API_KEY</c> and every <c>EVALDSL_KEY_*</c> variable.</summary>
    internal static IReadOnlyList<string> Known()
    {
        var values = new HashSet<string>(Registered.Keys, StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (name == "OPENAI_API_KEY" || name.StartsWith(ModelClients.KeyVariablePrefix, StringComparison.Ordinal))
            {
                if (entry.Value is string { Length: >= MinimumLength } value) values.Add(value);
            }
        }
        // The longest first: a key that contains another is removed whole.
        return values.OrderByDescending(v => v.Length).ToList();
    }

    /// <summary>The text with every known secret and every credential in a URL replaced by <c>[redacted]</c>.</summary>
    public static string Redact(string text) => string.IsNullOrEmpty(text) ? text : Redact(text, Known());

    /// <summary>The text with every secret of <paramref name="known"/> (longest first, from <see cref="Known"/>) and every credential in a URL redacted.</summary>
    internal static string Redact(string text, IReadOnlyList<string> known)
    {
        if (string.IsNullOrEmpty(text)) return text;
        foreach (var secret in known)
        {
            if (text.IndexOf(secret, StringComparison.Ordinal) >= 0) text = text.Replace(secret, Mask);
        }
        return RedactUrls(text);
    }

    /// <summary>Credentials in URLs: <c>ftp://user:pass@host</c> → <c>ftp://[redacted]@host</c>, <c>?api-key=x</c> → <c>?api-key=[redacted]</c>.</summary>
    internal static string RedactUrls(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        if (text.IndexOf("://", StringComparison.Ordinal) >= 0) text = UserInfo.Replace(text, m => m.Groups["info"].Value == Mask ? m.Value : m.Groups["scheme"].Value + Mask + "@");
        if (text.IndexOf('=') >= 0) text = SecretQuery.Replace(text, m => m.Groups["value"].Value == Mask ? m.Value : m.Groups["name"].Value + Mask);
        return text;
    }

    /// <summary>The secret-looking query values of a URL (to register them).</summary>
    internal static IEnumerable<string> QueryValues(Uri url)
    {
        foreach (Match m in SecretQuery.Matches(url.Query.Length > 0 ? url.Query : "")) yield return Uri.UnescapeDataString(m.Groups["value"].Value);
    }

    /// <summary>Replaces lone surrogates (which no UTF-8 writer can encode) with U+FFFD.</summary>
    internal static string WellFormed(string text)
    {
        StringBuilder? fixedText = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var lone = char.IsHighSurrogate(c) ? !(i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                : char.IsLowSurrogate(c) && !(i > 0 && char.IsHighSurrogate(text[i - 1]));
            if (lone)
            {
                fixedText ??= new StringBuilder(text, 0, i, text.Length);
                fixedText.Append('\uFFFD');
            }
            else
            {
                fixedText?.Append(c);
            }
        }
        return fixedText?.ToString() ?? text;
    }
}
