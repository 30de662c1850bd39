using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AchDebitsAndReturns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "returned_on",
                table: "plan_installments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ach_authorizations",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    debtor_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    recurring = table.Column<bool>(type: "INTEGER", nullable: false),
                    plan_id = table.Column<byte[]>(type: "BLOB", nullable: true),
                    amount_minor = table.Column<long>(type: "INTEGER", nullable: true),
                    debit_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    routing_number = table.Column<string>(type: "TEXT", maxLength: 9, nullable: false),
                    bank_account = table.Column<string>(type: "TEXT", maxLength: 17, nullable: false),
                    bank_account_type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    holder_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    sec_code = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    evidence = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    authorized_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    authorized_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    status_reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    status_changed_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ach_authorizations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ach_debits",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    file_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    authorization_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    plan_id = table.Column<byte[]>(type: "BLOB", nullable: true),
                    plan_version = table.Column<int>(type: "INTEGER", nullable: true),
                    installment_number = table.Column<int>(type: "INTEGER", nullable: true),
                    amount_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    effective_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    trace_number = table.Column<string>(type: "TEXT", maxLength: 15, nullable: false),
                    trace_sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    payment_entry_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    return_code = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    returned_on = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ach_debits", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ach_files",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    file_name = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    entries = table.Column<int>(type: "INTEGER", nullable: false),
                    total_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    content = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ach_files", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ach_authorizations_account_id",
                table: "ach_authorizations",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_ach_authorizations_status_plan_id",
                table: "ach_authorizations",
                columns: new[] { "status", "plan_id" });

            migrationBuilder.CreateIndex(
                name: "ix_ach_debits_authorization_id",
                table: "ach_debits",
                column: "authorization_id");

            migrationBuilder.CreateIndex(
                name: "ix_ach_debits_plan_id_plan_version_installment_number",
                table: "ach_debits",
                columns: new[] { "plan_id", "plan_version", "installment_number" });

            migrationBuilder.CreateIndex(
                name: "ix_ach_debits_trace_number_effective_date",
                table: "ach_debits",
                columns: new[] { "trace_number", "effective_date" });

            migrationBuilder.CreateIndex(
                name: "ix_ach_files_kind_sha256",
                table: "ach_files",
                columns: new[] { "kind", "sha256" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ach_authorizations");

            migrationBuilder.DropTable(
                name: "ach_debits");

            migrationBuilder.DropTable(
                name: "ach_files");

            migrationBuilder.DropColumn(
                name: "returned_on",
                table: "plan_installments");
        }
    }
}
