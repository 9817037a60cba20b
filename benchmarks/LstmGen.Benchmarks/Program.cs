using BenchmarkDotNet.Running;
using LstmGen.Benchmarks;

// Extra modes besides BenchmarkDotNet:
//   --verify          check every contestant agrees (also done before every benchmark run)
//   --quick           a Stopwatch comparison for development (not the published numbers)
//   --first-call      first-call latency of Step in fresh processes
//   --rtneural-compare <dir> [rounds]   generated Step + Linear against an RTNeural build outside the repository
//   --bounds [rounds] what bounds each size: clock and FMA rates, Step against a sequential read, latency, backward phases
//   (the generator's own cost is measured by benchmarks/GeneratorCost)
if (args.Length > 0 && args[0] == "--verify")
{
    foreach (string shape in ContestantSet.Shapes)
    {
        using var contestants = ContestantSet.Create(shape);
        contestants.VerifyAgreement();
        Console.WriteLine($"LSTM {shape}: all contestants agree");
    }

    foreach (string shape in GruContestantSet.Shapes)
    {
        using var contestants = GruContestantSet.Create(shape);
        contestants.VerifyAgreement();
        Console.WriteLine($"GRU {shape}: all contestants agree");
    }

    new ModelFileSet().VerifyAgreement();
    Console.WriteLine($"Model file {ModelFileSet.File}: Process and the hand-wired models agree");

    return 0;
}

if (args.Length > 0 && args[0] == "--quick")
{
    return QuickComparison.Run(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "--loop")
{
    // For profilers: run one operation of one shape for a while, e.g. --loop I16_H64 Backward 5
    using var contestants = ContestantSet.Create(args[1]);
    Action run = args[2] switch
    {
        "Step" => contestants.Generated.Step,
        "Forward" => contestants.Generated.Forward,
        "Backward" => contestants.Generated.Backward,
        _ => contestants.GeneratedTape.Backward,
    };
    double seconds = double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
    var stopwatch = System.Diagnostics.Stopwatch.StartNew();
    long calls = 0;
    while (stopwatch.Elapsed.TotalSeconds < seconds)
    {
        for (int i = 0; i < 1024; i++)
        {
            run();
        }

        calls += 1024;
    }

    Console.WriteLine($"{calls} calls, {stopwatch.Elapsed.TotalNanoseconds / calls:F0} ns each");
    return 0;
}

if (args.Length > 0 && args[0] == "--rtneural-compare")
{
    return RtNeuralComparison.Run(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "--bounds")
{
    return Bounds.Run(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "--first-call")
{
    return FirstCall.Run(args.Skip(1).ToArray());
}

BenchmarkSwitcher.FromAssembly(typeof(LstmBenchmarks).Assembly).Run(args);
return 0;
