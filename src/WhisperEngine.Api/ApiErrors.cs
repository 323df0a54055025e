using Microsoft.AspNetCore.Http;
using WhisperEngine.Api.Contracts;
using WhisperEngine.Core.Turns;

namespace WhisperEngine.Api;

/// <summary>Errors in OpenAI's JSON shape with the status code OpenAI clients expect.</summary>
internal static class ApiErrors
{
    public static IResult Result(int status, string message, string type, string? param = null, string? code = null) =>
        Results.Json(new ErrorResponse(new ErrorBody(message, type, param, code)), ApiJsonContext.Default.ErrorResponse, statusCode: status);

    public static Task WriteAsync(HttpContext context, int status, string message, string type, string? param = null, string? code = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ErrorResponse(new ErrorBody(message, type, param, code)), ApiJsonContext.Default.ErrorResponse,
            cancellationToken: context.RequestAborted);
    }

    public static (int Status, string Type, string Code) Map(TurnException exception) => exception.Kind switch
    {
        TurnErrorKind.InvalidInput => (StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_input"),
        TurnErrorKind.UnknownCharacter => (StatusCodes.Status404NotFound, "invalid_request_error", "model_not_found"),
        TurnErrorKind.Busy => (StatusCodes.Status429TooManyRequests, "rate_limit_error", "busy"),
        TurnErrorKind.ModelUnavailable => (StatusCodes.Status502BadGateway, "api_error", "upstream_error"),
        TurnErrorKind.StorageUnavailable => (StatusCodes.Status503ServiceUnavailable, "api_error", "storage_unavailable"),
        TurnErrorKind.NotConfigured => (StatusCodes.Status503ServiceUnavailable, "api_error", "not_configured"),
        TurnErrorKind.BudgetExhausted => (StatusCodes.Status429TooManyRequests, "insufficient_quota", "budget_exceeded"),
        _ => (StatusCodes.Status500InternalServerError, "api_error", "internal_error"),
    };
}
