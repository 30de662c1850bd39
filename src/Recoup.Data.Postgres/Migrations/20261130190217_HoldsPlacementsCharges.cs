using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class HoldsPlacementsCharges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "charge_accruals",
                columns: table => new
                {
                    invoice_id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    interest_through = table.Column<DateOnly>(type: "date", nullable: true),
                    interest_numerator = table.Column<decimal>(type: "numeric(38,12)", precision: 38, scale: 12, nullable: false),
                    interest_posted_minor = table.Column<long>(type: "bigint", nullable: false),
                    late_fee_on = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_charge_accruals", x => x.invoice_id);
                });

            migrationBuilder.CreateTable(
                name: "charge_terms",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    scope = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    debt_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    debtor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    late_fee = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    late_fee_flat_minor = table.Column<long>(type: "bigint", nullable: false),
                    late_fee_percent = table.Column<decimal>(type: "numeric(12,6)", precision: 12, scale: 6, nullable: false),
                    late_fee_cap_minor = table.Column<long>(type: "bigint", nullable: true),
                    late_fee_grace_days = table.Column<int>(type: "integer", nullable: false),
                    interest = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    interest_rate_percent = table.Column<decimal>(type: "numeric(12,6)", precision: 12, scale: 6, nullable: false),
                    reference_rate_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    reference_rate_percent = table.Column<decimal>(type: "numeric(12,6)", precision: 12, scale: 6, nullable: false),
                    margin_percent = table.Column<decimal>(type: "numeric(12,6)", precision: 12, scale: 6, nullable: false),
                    interest_grace_days = table.Column<int>(type: "integer", nullable: false),
                    authority = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    authority_reference = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    updated_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_charge_terms", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "collection_holds",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    debtor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    invoice_id = table.Column<Guid>(type: "uuid", nullable: true),
                    invoice_number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: false),
                    set_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    set_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    released_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    released_on = table.Column<DateOnly>(type: "date", nullable: true),
                    released_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    release_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_collection_holds", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "credit_holds",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    debtor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    placed_on = table.Column<DateOnly>(type: "date", nullable: false),
                    placed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    placed_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    released_on = table.Column<DateOnly>(type: "date", nullable: true),
                    released_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    released_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    release_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_credit_holds", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "placements",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    debtor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    placed_with = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    placed_on = table.Column<DateOnly>(type: "date", nullable: false),
                    placed_balance_minor = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    fee_percent = table.Column<decimal>(type: "numeric(9,4)", precision: 9, scale: 4, nullable: false),
                    fee_terms = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    allowed_channels = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status_since = table.Column<DateOnly>(type: "date", nullable: false),
                    placed_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    placed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ended_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_placements", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_charge_accruals_account_id",
                table: "charge_accruals",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_charge_terms_scope",
                table: "charge_terms",
                column: "scope",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_collection_holds_account_id",
                table: "collection_holds",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_collection_holds_debtor_id",
                table: "collection_holds",
                column: "debtor_id");

            migrationBuilder.CreateIndex(
                name: "ix_collection_holds_ends_on_starts_on",
                table: "collection_holds",
                columns: new[] { "ends_on", "starts_on" });

            migrationBuilder.CreateIndex(
                name: "ix_credit_holds_debtor_id",
                table: "credit_holds",
                column: "debtor_id");

            migrationBuilder.CreateIndex(
                name: "ix_credit_holds_released_at",
                table: "credit_holds",
                column: "released_at");

            migrationBuilder.CreateIndex(
                name: "ix_placements_account_id",
                table: "placements",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_placements_debtor_id",
                table: "placements",
                column: "debtor_id");

            migrationBuilder.CreateIndex(
                name: "ix_placements_status",
                table: "placements",
                column: "status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "charge_accruals");

            migrationBuilder.DropTable(
                name: "charge_terms");

            migrationBuilder.DropTable(
                name: "collection_holds");

            migrationBuilder.DropTable(
                name: "credit_holds");

            migrationBuilder.DropTable(
                name: "placements");
        }
    }
}
