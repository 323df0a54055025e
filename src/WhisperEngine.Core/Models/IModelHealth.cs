namespace WhisperEngine.Core.Models;

/// <summary>Recent outcomes of calls per model, so that routing can skip a model that keeps failing.</summary>
/// <remarks>Thread-safe.</remarks>
public interface IModelHealth
{
    void Report(string model, bool succeeded);

    /// <summary>Null when the model is healthy, else why it is not (for the routing reason).</summary>
    string? Problem(string model);
}
