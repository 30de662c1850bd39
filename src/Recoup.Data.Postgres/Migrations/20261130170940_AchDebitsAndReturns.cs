using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Postgres.Migrations
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
                type: "date",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ach_authorizations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    debtor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recurring = table.Column<bool>(type: "boolean", nullable: false),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: true),
                    amount_minor = table.Column<long>(type: "bigint", nullable: true),
                    debit_on = table.Column<DateOnly>(type: "date", nullable: true),
                    routing_number = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    bank_account = table.Column<string>(type: "character varying(17)", maxLength: 17, nullable: false),
                    bank_account_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    holder_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    sec_code = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    evidence = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    authorized_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    authorized_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    status_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ach_authorizations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ach_debits",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_id = table.Column<Guid>(type: "uuid", nullable: false),
                    authorization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: true),
                    plan_version = table.Column<int>(type: "integer", nullable: true),
                    installment_number = table.Column<int>(type: "integer", nullable: true),
                    amount_minor = table.Column<long>(type: "bigint", nullable: false),
                    effective_date = table.Column<DateOnly>(type: "date", nullable: false),
                    trace_number = table.Column<string>(type: "character varying(15)", maxLength: 15, nullable: false),
                    trace_sequence = table.Column<int>(type: "integer", nullable: false),
                    payment_entry_id = table.Column<Guid>(type: "uuid", nullable: false),
                    return_code = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: true),
                    returned_on = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ach_debits", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ach_files",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    file_name = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    entries = table.Column<int>(type: "integer", nullable: false),
                    total_minor = table.Column<long>(type: "bigint", nullable: false),
                    content = table.Column<string>(type: "text", nullable: true)
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
