using Microsoft.AspNetCore.Identity;
using Recoup.Data;
using Recoup.Data.Identity;
using Recoup.Services.Audit;
using Recoup.Domain;

namespace Recoup.Web.Identity;

/// <summary>Creating users with a role (<c>recoup user add</c>, the demo users).</summary>
public sealed class Users(UserManager<RecoupUser> users, RoleManager<IdentityRole> roles, RecoupDbContext db, TimeProvider clock)
{
    public async Task<Result<RecoupUser>> AddAsync(string userName, string role, string password, string? displayName = null, string actor = "system")
    {
        if (!Roles.All.Contains(role))
        {
            return Result<RecoupUser>.Fail("unknown_role", $"'{role}' is not a role; use one of {string.Join(", ", Roles.All)}");
        }

        if (await users.FindByNameAsync(userName) is not null)
        {
            return Result<RecoupUser>.Fail("user_exists", $"There is already a user '{userName}'");
        }

        await EnsureRolesAsync();
        var user = new RecoupUser { UserName = userName, DisplayName = displayName ?? userName };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return Result<RecoupUser>.Fail("user_invalid", string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(user, role);
        db.AuditLog.Add(AuditLog.Record(clock.GetUtcNow(), actor, "user.created", "user", user.Id, null, new { user = userName, display_name = user.DisplayName, role }));
        await db.SaveChangesAsync();
        return Result<RecoupUser>.Ok(user);
    }

    public Task<RecoupUser?> FindAsync(string userName) => users.FindByNameAsync(userName);

    private async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }
}
