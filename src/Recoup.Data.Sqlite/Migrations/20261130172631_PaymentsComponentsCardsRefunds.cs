using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PaymentsComponentsCardsRefunds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "component",
                table: "allocations",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "Principal");

            // Rows written before components existed: a fee's or interest's allocation (and that of its
            // reversal) is that component; everything else was principal.
            migrationBuilder.Sql(
                "UPDATE allocations SET component = (SELECT CASE WHEN o.kind IN ('Fee', 'Interest') THEN o.kind ELSE 'Principal' END " +
                "FROM ledger_entries e LEFT JOIN ledger_entries r ON r.id = e.reverses_entry_id " +
                "JOIN ledger_entries o ON o.id = COALESCE(r.id, e.id) WHERE e.id = allocations.entry_id) " +
                "WHERE invoice_id IS NOT NULL AND entry_id IN (SELECT e.id FROM ledger_entries e LEFT JOIN ledger_entries r ON r.id = e.reverses_entry_id " +
                "WHERE e.kind IN ('Fee', 'Interest') OR r.kind IN ('Fee', 'Interest'))");

            migrationBuilder.CreateTable(
                name: "card_payments",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    entry_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    gateway = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    transaction_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    token = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    brand = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    last4 = table.Column<string>(type: "TEXT", maxLength: 4, nullable: false),
                    exp_month = table.Column<int>(type: "INTEGER", nullable: false),
                    exp_year = table.Column<int>(type: "INTEGER", nullable: false),
                    cardholder_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    amount_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    currency = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    refunded_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_card_payments", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "refunds",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    payment_entry_id = table.Column<byte[]>(type: "BLOB", nullable: true),
                    amount_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    currency = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    requested_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    decided_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    decision_note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    refund_entry_id = table.Column<byte[]>(type: "BLOB", nullable: true),
                    gateway_refund_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    outbox_message_id = table.Column<byte[]>(type: "BLOB", nullable: true),
                    failure_reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_refunds", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_card_payments_account_id",
                table: "card_payments",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_card_payments_entry_id",
                table: "card_payments",
                column: "entry_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_refunds_account_id",
                table: "refunds",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_refunds_payment_entry_id",
                table: "refunds",
                column: "payment_entry_id");

            migrationBuilder.CreateIndex(
                name: "ix_refunds_status",
                table: "refunds",
                column: "status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "card_payments");

            migrationBuilder.DropTable(
                name: "refunds");

            migrationBuilder.DropColumn(
                name: "component",
                table: "allocations");
        }
    }
}
