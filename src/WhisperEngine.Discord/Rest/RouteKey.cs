namespace WhisperEngine.Discord.Rest;

/// <summary>
/// A REST route as rate limits see it: method and path template, plus the major parameter (channel, guild or
/// webhook id), because Discord counts each top-level resource separately.
/// </summary>
internal readonly record struct RouteKey(string Method, string Template, string MajorParameter)
{
    /// <summary>Method and template: the key Discord's bucket hash is learned under.</summary>
    public string Route => Method + " " + Template;

    public static RouteKey Get(string template, string major = "-") => new("GET", template, major);

    public static RouteKey Post(string template, string major = "-") => new("POST", template, major);

    public override string ToString() => $"{Route} [{MajorParameter}]";
}
