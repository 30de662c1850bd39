using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CollectorTargets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "collector_targets",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    collector = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    currency = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    amount_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    contacts = table.Column<int>(type: "INTEGER", nullable: false),
                    promises = table.Column<int>(type: "INTEGER", nullable: false),
                    kept_rate_basis_points = table.Column<int>(type: "INTEGER", nullable: false),
                    set_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    set_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_collector_targets", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_collector_targets_month_collector_set_at",
                table: "collector_targets",
                columns: new[] { "month", "collector", "set_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "collector_targets");
        }
    }
}
