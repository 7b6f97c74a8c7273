using System.Collections.Generic;

namespace EvalDsl.Internal;

internal static class Polyfills
{
#if NETSTANDARD2_0
    public static bool TryAdd<TKey, TValue>(this Dictionary<TKey, TValue> dictionary, TKey key, TValue value)
        where TKey : notnull
    {
        if (dictionary.ContainsKey(key)) return false;
        dictionary.Add(key, value);
        return true;
    }
#endif
}
