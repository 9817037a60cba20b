namespace LstmGen.Benchmarks;

public static class FirstCall
{
    public static int Run(string[] args)
    {
        Console.WriteLine("not yet");
        return 0;
    }
}

public static class GeneratorCost
{
    public static int Run()
    {
        Console.WriteLine("not yet");
        return 0;
    }
}
