using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AccountSearchTexts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "account_search_texts",
                columns: table => new
                {
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_account_search_texts", x => x.account_id);
                });

            // What the search looks in moves to its own table, as it was.
            migrationBuilder.Sql("INSERT INTO account_search_texts (account_id, text) SELECT account_id, search_text FROM account_summaries;");

            migrationBuilder.CreateIndex(
                name: "ix_account_search_texts_text_prefix",
                table: "account_search_texts",
                column: "text")
                .Annotation("Npgsql:IndexOperators", new[] { "text_pattern_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_account_search_texts_text_trgm",
                table: "account_search_texts",
                column: "text")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.DropIndex(
                name: "ix_account_summaries_search_text_prefix",
                table: "account_summaries");

            migrationBuilder.DropIndex(
                name: "ix_account_summaries_search_text_trgm",
                table: "account_summaries");

            migrationBuilder.DropColumn(
                name: "search_text",
                table: "account_summaries");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "account_search_texts");

            migrationBuilder.AddColumn<string>(
                name: "search_text",
                table: "account_summaries",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "ix_account_summaries_search_text_prefix",
                table: "account_summaries",
                column: "search_text")
                .Annotation("Npgsql:IndexOperators", new[] { "text_pattern_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_account_summaries_search_text_trgm",
                table: "account_summaries",
                column: "search_text")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }
    }
}
