using System.Text.Json.Serialization;

namespace WhisperEngine.Discord.Model;

/// <summary>A frame sent to the gateway.</summary>
/// <remarks><c>d</c> is written even when null: a heartbeat before the first dispatch is <c>{"op":1,"d":null}</c>.</remarks>
internal sealed record GatewayCommand<T>(int Op, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] T D);
