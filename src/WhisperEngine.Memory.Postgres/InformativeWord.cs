namespace WhisperEngine.Memory.Postgres;

/// <summary>A query word as the keyword search uses it: its lexeme, how many of the partition's memories hold it, its IDF.</summary>
internal readonly record struct InformativeWord(string Lexeme, int DocumentFrequency, double Idf);
