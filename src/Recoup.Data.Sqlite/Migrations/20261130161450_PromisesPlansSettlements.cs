using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PromisesPlansSettlements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "payment_plans",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    debtor_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    currency = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    total_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    down_payment_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    frequency = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    first_due = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    start_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    status_since = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    schedule_version = table.Column<int>(type: "INTEGER", nullable: false),
                    policy_breaches = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    approved_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    approved_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    settlement_id = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payment_plans", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "plan_installments",
                columns: table => new
                {
                    plan_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    number = table.Column<int>(type: "INTEGER", nullable: false),
                    due = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    amount_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    paid_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    covered_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_installments", x => new { x.plan_id, x.version, x.number });
                });

            migrationBuilder.CreateTable(
                name: "plan_revisions",
                columns: table => new
                {
                    plan_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_revisions", x => new { x.plan_id, x.version });
                });

            migrationBuilder.CreateTable(
                name: "promises",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    debtor_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    currency = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    amount_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    promised_for = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    taken_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    taken_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    taken_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    paid_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    resolved_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    cancelled_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    cancel_reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_promises", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "settlements",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    debtor_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    currency = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    balance_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    amount_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    discount_percent = table.Column<decimal>(type: "TEXT", precision: 9, scale: 4, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    due_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    plan_id = table.Column<byte[]>(type: "BLOB", nullable: true),
                    frequency = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    first_due = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    installments = table.Column<int>(type: "INTEGER", nullable: true),
                    start_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    resolved_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    offered_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    offered_by_role = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    offered_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    approved_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    approved_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    paid_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    write_off_entry_id = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_settlements", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_payment_plans_account_id",
                table: "payment_plans",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_payment_plans_status",
                table: "payment_plans",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_promises_account_id",
                table: "promises",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_promises_status_promised_for",
                table: "promises",
                columns: new[] { "status", "promised_for" });

            migrationBuilder.CreateIndex(
                name: "ix_settlements_account_id",
                table: "settlements",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_settlements_status",
                table: "settlements",
                column: "status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "payment_plans");

            migrationBuilder.DropTable(
                name: "plan_installments");

            migrationBuilder.DropTable(
                name: "plan_revisions");

            migrationBuilder.DropTable(
                name: "promises");

            migrationBuilder.DropTable(
                name: "settlements");
        }
    }
}
