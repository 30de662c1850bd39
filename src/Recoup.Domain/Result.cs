namespace Recoup.Domain;

/// <summary>Why an operation was refused: a stable code for programs and a sentence for people.</summary>
/// <param name="Field">For a refused input: the name of the field at fault (e.g. <c>amount</c>), so a form or an API can point at it.</param>
public sealed record Error(string Code, string Message, string? Field = null);

/// <summary>
/// The outcome of an operation whose failure is expected (refused by a rule, not found, conflict):
/// either a value or an <see cref="Error"/>. Bugs and broken invariants throw instead.
/// </summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, Error? error)
    {
        _value = value;
        Error = error;
    }

    public Error? Error { get; }

    public bool IsSuccess => Error is null;

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"No value: {Error!.Message}");

    public static Result<T> Ok(T value) => new(value, null);

    public static Result<T> Fail(string code, string message, string? field = null) => new(default, new Error(code, message, field));

    public static implicit operator Result<T>(Error error) => new(default, error);

    public static implicit operator Result<T>(T value) => new(value, null);
}
