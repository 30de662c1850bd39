using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ReportSubscriptionsAndOutboxAttachments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "outbox_attachments",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    outbox_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false),
                    file_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    content_type = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    content = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_attachments", x => x.id);
                    table.ForeignKey(
                        name: "fk_outbox_attachments_outbox_outbox_id",
                        column: x => x.outbox_id,
                        principalTable: "outbox",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "report_subscriptions",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    pack = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    collector = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    debt_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    active = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_subscriptions", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_attachments_outbox_id_position",
                table: "outbox_attachments",
                columns: new[] { "outbox_id", "position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_report_subscriptions_active_pack",
                table: "report_subscriptions",
                columns: new[] { "active", "pack" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbox_attachments");

            migrationBuilder.DropTable(
                name: "report_subscriptions");
        }
    }
}
