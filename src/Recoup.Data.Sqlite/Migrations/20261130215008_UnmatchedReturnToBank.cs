using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class UnmatchedReturnToBank : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "return_instruction_id",
                table: "unmatched_payments",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "return_reason",
                table: "unmatched_payments",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "returned_at",
                table: "unmatched_payments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "returned_by",
                table: "unmatched_payments",
                type: "TEXT",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "return_instruction_id",
                table: "unmatched_payments");

            migrationBuilder.DropColumn(
                name: "return_reason",
                table: "unmatched_payments");

            migrationBuilder.DropColumn(
                name: "returned_at",
                table: "unmatched_payments");

            migrationBuilder.DropColumn(
                name: "returned_by",
                table: "unmatched_payments");
        }
    }
}
