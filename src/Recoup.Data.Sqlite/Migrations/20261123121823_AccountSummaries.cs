using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AccountSummaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "account_summaries",
                columns: table => new
                {
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    debtor_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    debtor_external_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    search_text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    debt_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    currency = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    balance_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    balance_sort_key = table.Column<long>(type: "INTEGER", nullable: false),
                    open_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    written_off_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    invoice_count = table.Column<int>(type: "INTEGER", nullable: false),
                    oldest_due_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    collector = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_account_summaries", x => x.account_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_account_summaries_balance_sort_key_account_id",
                table: "account_summaries",
                columns: new[] { "balance_sort_key", "account_id" });

            migrationBuilder.CreateIndex(
                name: "ix_account_summaries_collector_balance_sort_key_account_id",
                table: "account_summaries",
                columns: new[] { "collector", "balance_sort_key", "account_id" });

            migrationBuilder.CreateIndex(
                name: "ix_account_summaries_debt_type_balance_sort_key_account_id",
                table: "account_summaries",
                columns: new[] { "debt_type", "balance_sort_key", "account_id" });

            migrationBuilder.CreateIndex(
                name: "ix_account_summaries_debtor_external_id",
                table: "account_summaries",
                column: "debtor_external_id");

            migrationBuilder.CreateIndex(
                name: "ix_account_summaries_debtor_id",
                table: "account_summaries",
                column: "debtor_id");

            migrationBuilder.CreateIndex(
                name: "ix_account_summaries_name_account_id",
                table: "account_summaries",
                columns: new[] { "name", "account_id" });

            migrationBuilder.CreateIndex(
                name: "ix_account_summaries_oldest_due_date_balance_sort_key_account_id",
                table: "account_summaries",
                columns: new[] { "oldest_due_date", "balance_sort_key", "account_id" },
                descending: new[] { false, true, true });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "account_summaries");
        }
    }
}
