using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using WhisperEngine.Api.Contracts;
using WhisperEngine.Core.Bots;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Privacy;

namespace WhisperEngine.Api;

/// <summary>
/// A person's data over HTTP, behind the same API key as the rest of <c>/v1</c>: <c>GET /v1/users/{id}/data</c> exports
/// it (the JSON of <c>whisperengine memory export</c>), <c>DELETE /v1/users/{id}/data</c> erases it (as <c>memory forget</c>).
/// Query: <c>bot</c> (one bot; default all bots of the tenant), <c>tenant</c> (default: the bot's, else <c>default</c>).
/// </summary>
internal static class UserDataEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/v1/users/{id}/data", async (HttpContext context, string id, string? bot, string? tenant, UserDataService userData, IBotDirectory bots) =>
        {
            var scope = Scope(id, bot, tenant, bots);
            if (await NotFoundAsync(context, scope, userData, bots))
            {
                return;
            }

            context.Response.ContentType = "application/json; charset=utf-8";
            await userData.ExportAsync(scope, context.Response.Body, context.RequestAborted);
        });
        app.MapDelete("/v1/users/{id}/data", async (HttpContext context, string id, string? bot, string? tenant, UserDataService userData, IBotDirectory bots) =>
        {
            var scope = Scope(id, bot, tenant, bots);
            if (await NotFoundAsync(context, scope, userData, bots))
            {
                return;
            }

            var report = await userData.EraseAsync(scope, context.RequestAborted);
            var tables = report.Sections.SelectMany(s => s.Tables.Select(t =>
                new ErasedTable(s.Name, t.Table, t.Rows, t.Action == UserDataAction.Anonymised ? "anonymised" : "deleted"))).ToList();
            await context.Response.WriteAsJsonAsync(new ErasureResponse("user_data.erasure", scope.TenantId, scope.UserId, scope.BotId, tables,
                report.Conversations, report.Finishing, Math.Round(report.Elapsed.TotalMilliseconds, 1)), ApiJsonContext.Default.ErasureResponse, cancellationToken: context.RequestAborted);
        });
    }

    private static UserDataScope Scope(string id, string? bot, string? tenant, IBotDirectory bots) =>
        new(tenant ?? (bot is null ? null : bots.Find(bot)?.TenantId) ?? ConversationKey.DefaultTenant, id, string.IsNullOrEmpty(bot) ? null : bot);

    /// <summary>Answers 404 for a bot that is neither configured nor holds data, or a person of whom nothing is kept.</summary>
    private static async Task<bool> NotFoundAsync(HttpContext context, UserDataScope scope, UserDataService userData, IBotDirectory bots)
    {
        var inventory = await userData.DescribeAsync(scope, context.RequestAborted);
        if (!inventory.IsEmpty)
        {
            return false;
        }

        if (scope.BotId is { } bot && bots.Find(bot) is null)
        {
            await ApiErrors.WriteAsync(context, 404, $"There is no bot '{bot}'. Known: {string.Join(", ", bots.All.Select(b => b.Id))}.",
                "invalid_request_error", "bot", "bot_not_found");
        }
        else
        {
            await ApiErrors.WriteAsync(context, 404, $"Nothing is kept about user '{scope.UserId}' in tenant '{scope.TenantId}'" +
                (scope.BotId is null ? "." : $" by bot '{scope.BotId}'."), "invalid_request_error", "id", "user_not_found");
        }

        return true;
    }
}
