using Recoup.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await RecoupCli.RunAsync(args, CliHost.FromConsole(), cancellation.Token);
