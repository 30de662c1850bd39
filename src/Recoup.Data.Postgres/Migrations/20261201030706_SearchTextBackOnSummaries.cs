using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SearchTextBackOnSummaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "search_text",
                table: "account_summaries",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: false,
                defaultValue: "");

            // The search text goes back to the summaries: a table of its own made every search join two tables.
            migrationBuilder.Sql("UPDATE account_summaries AS s SET search_text = t.text FROM account_search_texts AS t WHERE t.account_id = s.account_id;");

            migrationBuilder.DropTable(
                name: "account_search_texts");

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

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_account_summaries_search_text_prefix",
                table: "account_summaries");

            migrationBuilder.DropIndex(
                name: "ix_account_summaries_search_text_trgm",
                table: "account_summaries");

            migrationBuilder.DropColumn(
                name: "search_text",
                table: "account_summaries");

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
        }
    }
}
