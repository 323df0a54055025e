using WhisperEngine.Cli;

return await CliApp.RunAsync(args);
