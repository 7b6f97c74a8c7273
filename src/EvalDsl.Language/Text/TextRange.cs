using System;

namespace EvalDsl.Text;

/// <summary>A range of UTF-16 code units in a source text.</summary>
internal readonly record struct TextRange(int Start, int Length)
{
    /// <summary>The offset just after the range.</summary>
    public int End => Start + Length;

    /// <summary>A range from <paramref name="start"/> to <paramref name="end"/> (exclusive).</summary>
    public static TextRange FromBounds(int start, int end) => new(start, Math.Max(0, end - start));

    /// <summary>The smallest range covering both.</summary>
    public TextRange Union(TextRange other) => FromBounds(Math.Min(Start, other.Start), Math.Max(End, other.End));

    /// <inheritdoc />
    public override string ToString() => $"[{Start}..{End})";
}
