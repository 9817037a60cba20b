using System.Diagnostics;
using System.Globalization;

namespace LstmGen.Benchmarks;

/// <summary>
/// First-call latency of Step (JIT included) for [Lstm(16, 64, 32)], with and without
/// [MethodImpl(AggressiveOptimization)] on the generated methods: builds benchmarks/FirstCall twice (MSBuild property
/// LstmGenAggressiveOptimization) and runs each build in fresh processes.
/// </summary>
public static class FirstCall
{
    public static int Run(string[] args)
    {
        int runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 9;
        string project = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../FirstCall/FirstCall.csproj"));
        foreach (string setting in new[] { "true", "false" })
        {
            string output = Path.Combine(Path.GetTempPath(), $"lstmgen-firstcall-{setting}");
            Exec("dotnet", $"build \"{project}\" -c Release -o \"{output}\" -p:LstmGenAggressiveOptimization={setting} -nologo -v quiet");
            var results = new List<double[]>();
            for (int r = 0; r < runs; r++)
            {
                string line = Exec("dotnet", $"\"{Path.Combine(output, "FirstCall.dll")}\"").Trim();
                results.Add(line.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
            }

            double Median(int column) => results.Select(v => v[column]).OrderBy(v => v).ElementAt(results.Count / 2);
            Console.WriteLine($"AggressiveOptimization={setting}: first Step {Median(0) / 1000:F0} us (JIT included), calls 2-100 {Median(1):F0} ns each, steady state {Median(2):F0} ns ({runs} fresh processes, medians)");
        }

        return 0;
    }

    private static string Exec(string file, string arguments)
    {
        using Process process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed:\n{output}\n{error}");
        }

        return output;
    }
}
