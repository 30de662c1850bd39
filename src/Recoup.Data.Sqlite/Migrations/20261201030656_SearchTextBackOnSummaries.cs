using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Sqlite.Migrations
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
                type: "TEXT",
                maxLength: 2000,
                nullable: false,
                defaultValue: "");

            // The search text goes back to the summaries: a table of its own made every search join two tables.
            migrationBuilder.Sql("UPDATE account_summaries SET search_text = COALESCE((SELECT t.text FROM account_search_texts AS t WHERE t.account_id = account_summaries.account_id), '');");

            migrationBuilder.DropTable(
                name: "account_search_texts");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "search_text",
                table: "account_summaries");

            migrationBuilder.CreateTable(
                name: "account_search_texts",
                columns: table => new
                {
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_account_search_texts", x => x.account_id);
                });
        }
    }
}
