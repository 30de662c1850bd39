using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CollectorTargetsAndClients : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "client_id",
                table: "debtors",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "client_code",
                table: "account_summaries",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "clients",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_clients", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "collector_targets",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    collector = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    amount_minor = table.Column<long>(type: "bigint", nullable: false),
                    contacts = table.Column<int>(type: "integer", nullable: false),
                    promises = table.Column<int>(type: "integer", nullable: false),
                    kept_rate_basis_points = table.Column<int>(type: "integer", nullable: false),
                    set_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    set_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_collector_targets", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_debtors_client_id",
                table: "debtors",
                column: "client_id");

            migrationBuilder.CreateIndex(
                name: "ix_account_summaries_client_code_balance_sort_key_account_id",
                table: "account_summaries",
                columns: new[] { "client_code", "balance_sort_key", "account_id" });

            migrationBuilder.CreateIndex(
                name: "ix_clients_code",
                table: "clients",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_collector_targets_month_collector_set_at",
                table: "collector_targets",
                columns: new[] { "month", "collector", "set_at" });

            migrationBuilder.AddForeignKey(
                name: "fk_debtors_clients_client_id",
                table: "debtors",
                column: "client_id",
                principalTable: "clients",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_debtors_clients_client_id",
                table: "debtors");

            migrationBuilder.DropTable(
                name: "clients");

            migrationBuilder.DropTable(
                name: "collector_targets");

            migrationBuilder.DropIndex(
                name: "ix_debtors_client_id",
                table: "debtors");

            migrationBuilder.DropIndex(
                name: "ix_account_summaries_client_code_balance_sort_key_account_id",
                table: "account_summaries");

            migrationBuilder.DropColumn(
                name: "client_id",
                table: "debtors");

            migrationBuilder.DropColumn(
                name: "client_code",
                table: "account_summaries");
        }
    }
}
