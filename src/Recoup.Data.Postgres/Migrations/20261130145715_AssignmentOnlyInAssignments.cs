using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AssignmentOnlyInAssignments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_account_summaries_collector_balance_sort_key_account_id",
                table: "account_summaries");

            migrationBuilder.DropColumn(
                name: "collector",
                table: "account_summaries");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "collector",
                table: "account_summaries",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_account_summaries_collector_balance_sort_key_account_id",
                table: "account_summaries",
                columns: new[] { "collector", "balance_sort_key", "account_id" });
        }
    }
}
