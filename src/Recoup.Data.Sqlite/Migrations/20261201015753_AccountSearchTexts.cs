using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Sqlite.Migrations
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
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_account_search_texts", x => x.account_id);
                });

            // What the search looks in moves to its own table, as it was.
            migrationBuilder.Sql("INSERT INTO account_search_texts (account_id, text) SELECT account_id, search_text FROM account_summaries;");

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
                type: "TEXT",
                maxLength: 2000,
                nullable: false,
                defaultValue: "");
        }
    }
}
