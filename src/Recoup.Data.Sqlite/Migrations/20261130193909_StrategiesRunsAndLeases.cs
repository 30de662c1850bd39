using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class StrategiesRunsAndLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "account_strategy_states",
                columns: table => new
                {
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    episode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    debt_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    strategy_version = table.Column<int>(type: "INTEGER", nullable: false),
                    segment = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    arm = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    last_run_on = table.Column<DateOnly>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_account_strategy_states", x => x.account_id);
                });

            migrationBuilder.CreateTable(
                name: "collection_runs",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    as_of = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: true),
                    cursor = table.Column<byte[]>(type: "BLOB", nullable: true),
                    accounts = table.Column<int>(type: "INTEGER", nullable: false),
                    counts = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    error = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    started_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_collection_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "job_leases",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    holder = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_job_leases", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "strategy_steps_taken",
                columns: table => new
                {
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    taken_key = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    run_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    as_of = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    step_key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    segment = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    arm = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_strategy_steps_taken", x => new { x.account_id, x.taken_key });
                });

            migrationBuilder.CreateTable(
                name: "strategy_versions",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    debt_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    definition = table.Column<string>(type: "TEXT", maxLength: 200000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_strategy_versions", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_collection_runs_as_of",
                table: "collection_runs",
                column: "as_of");

            migrationBuilder.CreateIndex(
                name: "ix_strategy_steps_taken_run_id",
                table: "strategy_steps_taken",
                column: "run_id");

            migrationBuilder.CreateIndex(
                name: "ix_strategy_versions_debt_type_version",
                table: "strategy_versions",
                columns: new[] { "debt_type", "version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "account_strategy_states");

            migrationBuilder.DropTable(
                name: "collection_runs");

            migrationBuilder.DropTable(
                name: "job_leases");

            migrationBuilder.DropTable(
                name: "strategy_steps_taken");

            migrationBuilder.DropTable(
                name: "strategy_versions");
        }
    }
}
