using System.Reflection;

namespace WhisperEngine.Storage.Postgres;

/// <summary>
/// A set of schema scripts that a feature backend (memory, ...) keeps beside its code, embedded in
/// <paramref name="Assembly"/> as <c>*.sql</c> resources. They run after the core scripts, in name order, journalled in
/// the same <c>schema_versions</c> table (under their full resource names, so they never collide with the core's).
/// </summary>
/// <param name="Name">What the scripts are for, for error messages.</param>
/// <param name="Assembly">The assembly that embeds them.</param>
public sealed record PostgresMigrationModule(string Name, Assembly Assembly);
