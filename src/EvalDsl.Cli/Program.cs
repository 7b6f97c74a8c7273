using System;
using System.IO;
using System.Text;

namespace EvalDsl.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        Console.OutputEncoding = new UTF8Encoding(false);
        return Cli.Run(args, Console.Out, Console.Error);
    }
}
