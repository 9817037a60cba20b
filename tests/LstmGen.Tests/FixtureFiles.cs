using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace LstmGen.Tests;

/// <summary>The committed PyTorch reference files (<c>tests/fixtures</c>, copied next to the test assembly): listing, parsing once, reading arrays.</summary>
internal static class FixtureFiles
{
    private static readonly Dictionary<string, object> Cache = new();

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "fixtures");

    /// <summary>The names (without <c>.json</c>) of the files matching <paramref name="pattern"/>, in ordinal order.</summary>
    public static string[] Names(string pattern) => Directory
        .GetFiles(Folder, pattern)
        .Select(Path.GetFileNameWithoutExtension)
        .OrderBy(n => n, StringComparer.Ordinal)
        .ToArray()!;

    /// <summary>The file <paramref name="name"/>, parsed by <paramref name="parse"/> the first time it is asked for.</summary>
    public static T Load<T>(string name, Func<string, JsonElement, T> parse)
        where T : class
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out object? parsed))
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".json")));
                parsed = parse(name, document.RootElement);
                Cache[name] = parsed;
            }

            return (T)parsed;
        }
    }

    public static float[] Floats(JsonElement element) => element.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    public static double[] Doubles(JsonElement element) => element.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static float[] Floats(JsonElement element, string property) => Floats(element.GetProperty(property));

    public static double[] Doubles(JsonElement element, string property) => Doubles(element.GetProperty(property));
}
