using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class UnmatchedReturnToBank : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "return_instruction_id",
                table: "unmatched_payments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "return_reason",
                table: "unmatched_payments",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "returned_at",
                table: "unmatched_payments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "returned_by",
                table: "unmatched_payments",
                type: "character varying(256)",
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
