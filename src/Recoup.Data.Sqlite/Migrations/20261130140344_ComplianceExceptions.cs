using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ComplianceExceptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "compliance_exception_grants",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    debtor_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: true),
                    rule = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    contact_point_id = table.Column<byte[]>(type: "BLOB", nullable: true),
                    valid_from = table.Column<long>(type: "INTEGER", nullable: false),
                    valid_until = table.Column<long>(type: "INTEGER", nullable: false),
                    documentation = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    granted_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    granted_at = table.Column<long>(type: "INTEGER", nullable: false),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    revoked_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_compliance_exception_grants", x => x.id);
                    table.ForeignKey(
                        name: "fk_compliance_exception_grants_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_compliance_exception_grants_contact_points_contact_point_id",
                        column: x => x.contact_point_id,
                        principalTable: "contact_points",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_compliance_exception_grants_debtors_debtor_id",
                        column: x => x.debtor_id,
                        principalTable: "debtors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_compliance_exception_grants_account_id",
                table: "compliance_exception_grants",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_compliance_exception_grants_contact_point_id",
                table: "compliance_exception_grants",
                column: "contact_point_id");

            migrationBuilder.CreateIndex(
                name: "ix_compliance_exception_grants_debtor_id_valid_until",
                table: "compliance_exception_grants",
                columns: new[] { "debtor_id", "valid_until" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "compliance_exception_grants");
        }
    }
}
