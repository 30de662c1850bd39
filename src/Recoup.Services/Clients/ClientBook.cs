using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Clients;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Clients;

/// <summary>A client as the screens and the API show it, with how many debtors it placed.</summary>
public sealed record ClientView(string Code, string Name, bool Active, DateTimeOffset CreatedAt, int Debtors)
{
    public static ClientView Of(Client client, int debtors) => new(client.Code, client.Name, client.Active, client.CreatedAt, debtors);
}

/// <summary>
/// The creditor clients (docs/clients.md): listed, added, renamed, made inactive. The code is given once and
/// never changes (files, filters and strategies name the client by it); every change is audited.
/// </summary>
public sealed class ClientBook(RecoupDatabase database, TimeProvider clock)
{
    public const string NotFound = "client_not_found";
    public const string CodeTaken = "client_code_taken";

    public async Task<IReadOnlyList<ClientView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var clients = await db.Clients.AsNoTracking().ToListAsync(ct);
        var counts = await db.Debtors.AsNoTracking().Where(d => d.ClientId != null).GroupBy(d => d.ClientId)
            .Select(g => new { Client = g.Key, Count = g.Count() }).ToListAsync(ct);
        var byClient = counts.ToDictionary(c => c.Client!.Value, c => c.Count);
        return clients.OrderBy(c => c.Code, StringComparer.Ordinal).Select(c => ClientView.Of(c, byClient.GetValueOrDefault(c.Id))).ToList();
    }

    /// <summary>Every client's code, in order (cheap: for filter lists).</summary>
    public async Task<IReadOnlyList<string>> CodesAsync(CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        return (await db.Clients.AsNoTracking().Select(c => c.Code).ToListAsync(ct)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The client with this code (any letter case), or null.</summary>
    public async Task<ClientView?> FindAsync(string code, CancellationToken ct = default)
    {
        var normalized = ClientCode.Normalize(code);
        await using var db = database.CreateContext();
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Code == normalized, ct);
        return client is null ? null : ClientView.Of(client, await db.Debtors.CountAsync(d => d.ClientId == client.Id, ct));
    }

    /// <summary>Adds an active client; every mistake is named by field (<c>code</c>, <c>name</c>).</summary>
    public async Task<(ClientView? Client, IReadOnlyList<Error> Errors)> AddAsync(string? code, string? name, string actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var errors = new List<Error>();
        var created = Client.Create(ClientId.New(now), code, name, now);
        if (created.Error is { } error)
        {
            errors.Add(error);

            // Both fields at once: the name is checked on its own when the code was the problem.
            if (error.Field == "code" && Client.Create(ClientId.New(now), "OK", name, now).Error is { } nameError)
            {
                errors.Add(nameError);
            }

            return (null, errors);
        }

        var client = created.Value!;
        await using var db = database.CreateContext();
        if (await db.Clients.AnyAsync(c => c.Code == client.Code, ct))
        {
            return (null, [new Error(CodeTaken, $"There is already a client '{client.Code}'; codes are unique", "code")]);
        }

        db.Clients.Add(client);
        db.AuditLog.Add(AuditLog.Record(now, actor, "client.added", "client", client.Code, null, new { client.Code, client.Name }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return (null, [new Error(CodeTaken, $"There is already a client '{client.Code}'; codes are unique", "code")]);
        }

        return (ClientView.Of(client, 0), []);
    }

    /// <summary>Renames a client and/or makes it active or inactive (null leaves either as it is); the code stays.</summary>
    public async Task<(ClientView? Client, IReadOnlyList<Error> Errors)> UpdateAsync(string code, string? name, bool? active, string actor, CancellationToken ct = default)
    {
        var normalized = ClientCode.Normalize(code);
        await using var db = database.CreateContext();
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Code == normalized, ct);
        if (client is null)
        {
            return (null, [new Error(NotFound, $"There is no client '{code}'", "code")]);
        }

        var before = new { client.Name, client.Active };
        if (name is not null && client.Rename(name).Error is { } error)
        {
            return (null, [error]);
        }

        if (active is { } isActive)
        {
            client.SetActive(isActive);
        }

        db.AuditLog.Add(AuditLog.Record(clock.GetUtcNow(), actor, "client.changed", "client", client.Code, before, new { client.Name, client.Active }));
        await db.SaveChangesAsync(ct);
        return (ClientView.Of(client, await db.Debtors.CountAsync(d => d.ClientId == client.Id, ct)), []);
    }
}
