using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace LstmGen.Generator.Parsing.ModelFiles;

/// <summary>
/// Finds the <c>AdditionalFiles</c> item a <c>[RecurrentModel("…")]</c> path names: the path relative to the project
/// directory when MSBuild makes it visible (<c>build_property.ProjectDir</c>), otherwise the one item whose path ends
/// with it at a folder boundary. Shared by the generator and the analyzer.
/// </summary>
internal static class ModelFileLocator
{
    public static AdditionalText? Find(string path, ImmutableArray<AdditionalText> files, string? projectDirectory)
    {
        string wanted = Normalize(path);
        if (wanted.Length == 0)
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(projectDirectory))
        {
            string full = Normalize(projectDirectory!.TrimEnd('/', '\\') + "/" + wanted);
            foreach (AdditionalText file in files)
            {
                if (string.Equals(Normalize(file.Path), full, StringComparison.OrdinalIgnoreCase))
                {
                    return file;
                }
            }
        }

        AdditionalText? found = null;
        foreach (AdditionalText file in files)
        {
            string candidate = Normalize(file.Path);
            bool matches = string.Equals(candidate, wanted, StringComparison.OrdinalIgnoreCase)
                || (candidate.EndsWith("/" + wanted, StringComparison.OrdinalIgnoreCase));
            if (matches)
            {
                if (found is not null)
                {
                    return null; // ambiguous: two items end with this path
                }

                found = file;
            }
        }

        return found;
    }

    /// <summary>Forward slashes, no "./" segments, ".." resolved where possible.</summary>
    public static string Normalize(string path)
    {
        var parts = new List<string>();
        string[] segments = path.Replace('\\', '/').Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            string segment = segments[i];
            if (segment == "." || (segment.Length == 0 && i > 0))
            {
                continue;
            }

            if (segment == ".." && parts.Count > 0 && parts[parts.Count - 1] != ".." && parts[parts.Count - 1].Length > 0)
            {
                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(segment);
        }

        return string.Join("/", parts);
    }

    /// <summary>Reads and parses the file the attribute names, or reports LSTM010 when no item matches.</summary>
    public static LstmGen.Generator.Model.ModelFileResult Load(string path, ImmutableArray<AdditionalText> files, string? projectDirectory, System.Threading.CancellationToken cancellationToken)
    {
        AdditionalText? file = Find(path, files, projectDirectory);
        string? text = file?.GetText(cancellationToken)?.ToString();
        if (file is null || text is null)
        {
            return LstmGen.Generator.Model.ModelFileResult.Failure(LstmGen.Generator.Validation.DiagnosticIds.ModelFileNotFound, path);
        }

        return ModelFileReader.Read(path, text);
    }
}
