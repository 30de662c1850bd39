using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PaymentImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "payment_imports",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    format = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    file_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    content_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    records = table.Column<int>(type: "integer", nullable: false),
                    matched = table.Column<int>(type: "integer", nullable: false),
                    unmatched = table.Column<int>(type: "integer", nullable: false),
                    rejected = table.Column<int>(type: "integer", nullable: false),
                    totals = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    rejected_lines = table.Column<string>(type: "character varying(100000)", maxLength: 100000, nullable: false),
                    auto_match_rate = table.Column<decimal>(type: "numeric(5,1)", precision: 5, scale: 1, nullable: false),
                    imported_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payment_imports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "unmatched_payments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    import_id = table.Column<Guid>(type: "uuid", nullable: false),
                    line = table.Column<int>(type: "integer", nullable: false),
                    source_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    amount_minor = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    value_date = table.Column<DateOnly>(type: "date", nullable: true),
                    payer_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    bank_reference = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    references = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    remittance_text = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    type_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    suggestions = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    matched_account_id = table.Column<Guid>(type: "uuid", nullable: true),
                    matched_entry_id = table.Column<Guid>(type: "uuid", nullable: true),
                    matched_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    matched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_unmatched_payments", x => x.id);
                    table.ForeignKey(
                        name: "fk_unmatched_payments_payment_imports_import_id",
                        column: x => x.import_id,
                        principalTable: "payment_imports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_payment_imports_content_hash",
                table: "payment_imports",
                column: "content_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_unmatched_payments_import_id",
                table: "unmatched_payments",
                column: "import_id");

            migrationBuilder.CreateIndex(
                name: "ix_unmatched_payments_source_id",
                table: "unmatched_payments",
                column: "source_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_unmatched_payments_status_created_at",
                table: "unmatched_payments",
                columns: new[] { "status", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "unmatched_payments");

            migrationBuilder.DropTable(
                name: "payment_imports");
        }
    }
}
