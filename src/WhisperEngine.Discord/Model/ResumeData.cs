namespace WhisperEngine.Discord.Model;

/// <summary>Op 6 Resume.</summary>
internal sealed record ResumeData(string Token, string SessionId, int? Seq);
