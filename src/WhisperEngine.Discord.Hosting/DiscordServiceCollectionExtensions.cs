using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Characters;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Turns;
using WhisperEngine.Discord.Bot;
using WhisperEngine.Hosting.Configuration;

namespace WhisperEngine.Discord.Hosting;

/// <summary>DI wiring of the Discord bots.</summary>
public static class DiscordServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="DiscordBotRunner"/> and a hosted service for every bot with a Discord token
    /// (<see cref="WhisperEngineSettings.DiscordBots"/>), each with its own token and gateway connection, and the
    /// <see cref="DiscordBotSet"/> of them. Call after <c>AddWhisperEngine</c>.
    /// </summary>
    public static IServiceCollection AddDiscordBots(this IServiceCollection services, WhisperEngineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var discord = settings.Discord;
        var admins = discord.AdminUserIds.ToHashSet(StringComparer.Ordinal);
        var bots = settings.DiscordBots();
        foreach (var bot in bots)
        {
            var options = new DiscordBotOptions
            {
                Bot = bot.Bot,
                Token = bot.Token,
                TokenSettingName = bot.TokenSetting,
                ApiBaseUrl = discord.ApiBaseUrl,
                ShardId = discord.ShardId,
                ShardCount = discord.ShardCount,
                CommandPrefix = discord.CommandPrefix,
                AdminUserIds = admins,
                AllowBots = discord.AllowBots,
                MaxBotExchanges = discord.MaxBotExchanges,
                MaxActiveChannels = Math.Max(1, settings.MaxConcurrentTurns),
            };
            services.AddKeyedSingleton(bot.Bot.Id, (sp, _) => new DiscordBotRunner(
                options,
                sp.GetRequiredService<TurnPipeline>(),
                sp.GetRequiredService<IConversationStore>(),
                sp.GetRequiredService<ICharacterCatalog>(),
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetRequiredService<UserDataService>()));
            services.AddSingleton<IHostedService>(sp => new DiscordBotService(
                sp.GetRequiredKeyedService<DiscordBotRunner>(bot.Bot.Id),
                sp.GetRequiredService<DiscordBotSet>(),
                sp.GetRequiredService<IHostApplicationLifetime>()));
        }

        services.AddSingleton(sp => new DiscordBotSet([.. bots.Select(b => sp.GetRequiredKeyedService<DiscordBotRunner>(b.Bot.Id))]));
        return services;
    }
}
