using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Clients : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "client_id",
                table: "debtors",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "client_code",
                table: "account_summaries",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "clients",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    active = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_clients", x => x.id);
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
