using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recoup.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ContactsConversationsQueues : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "attorney",
                table: "debtors",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "attorney_represented_since",
                table: "debtors",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "cease_communication_at",
                table: "debtors",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "inconvenient_times",
                table: "debtors",
                type: "TEXT",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "language",
                table: "debtors",
                type: "TEXT",
                maxLength: 2,
                nullable: false,
                defaultValue: "en");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "opted_out_at",
                table: "debtors",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "opted_out_channels",
                table: "debtors",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "workplace_contact_prohibited",
                table: "debtors",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "autodialer_consent_given_at",
                table: "contact_points",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "autodialer_consent_how_obtained",
                table: "contact_points",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "autodialer_consent_revoked_at",
                table: "contact_points",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "confidence",
                table: "contact_points",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "created_at",
                table: "contact_points",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<string>(
                name: "normalized",
                table: "contact_points",
                type: "TEXT",
                maxLength: 320,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "opted_out_at",
                table: "contact_points",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "phone_type",
                table: "contact_points",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "source_detail",
                table: "contact_points",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "text_consent_given_at",
                table: "contact_points",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "text_consent_how_obtained",
                table: "contact_points",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "text_consent_revoked_at",
                table: "contact_points",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "time_zones",
                table: "contact_points",
                type: "TEXT",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "delinquency_reason",
                table: "accounts",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "delinquency_reason_at",
                table: "accounts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "language",
                table: "account_summaries",
                type: "TEXT",
                maxLength: 2,
                nullable: false,
                defaultValue: "en");

            migrationBuilder.AddColumn<long>(
                name: "last_contact_at",
                table: "account_summaries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "region",
                table: "account_summaries",
                type: "TEXT",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "time_zones",
                table: "account_summaries",
                type: "TEXT",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "account_assignments",
                columns: table => new
                {
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    collector = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    assigned_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    assigned_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_account_assignments", x => x.account_id);
                });

            migrationBuilder.CreateTable(
                name: "assignment_rules",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    order = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    debt_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    min_balance_sort_key = table.Column<long>(type: "INTEGER", nullable: true),
                    max_balance_sort_key = table.Column<long>(type: "INTEGER", nullable: true),
                    regions = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    collectors = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_assignment_rules", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "collector_profiles",
                columns: table => new
                {
                    user_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    capacity = table.Column<int>(type: "INTEGER", nullable: false),
                    active = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_collector_profiles", x => x.user_name);
                });

            migrationBuilder.CreateTable(
                name: "follow_ups",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    debtor_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    due_local = table.Column<string>(type: "TEXT", maxLength: 19, nullable: false),
                    due_time_zone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    owner = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    origin = table.Column<byte[]>(type: "BLOB", nullable: true),
                    state = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    closed_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    closed_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_follow_ups", x => x.id);
                    table.ForeignKey(
                        name: "fk_follow_ups_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "interactions",
                columns: table => new
                {
                    id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    debtor_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    account_ids = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    occurred_at = table.Column<long>(type: "INTEGER", nullable: false),
                    contact_point_id = table.Column<byte[]>(type: "BLOB", nullable: true),
                    party = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    notes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    corrects = table.Column<byte[]>(type: "BLOB", nullable: true),
                    recorded_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_interactions", x => x.id);
                    table.ForeignKey(
                        name: "fk_interactions_contact_points_contact_point_id",
                        column: x => x.contact_point_id,
                        principalTable: "contact_points",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_interactions_debtors_debtor_id",
                        column: x => x.debtor_id,
                        principalTable: "debtors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_interactions_interactions_corrects",
                        column: x => x.corrects,
                        principalTable: "interactions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "work_queue_entries",
                columns: table => new
                {
                    account_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    collector = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    priority = table.Column<long>(type: "INTEGER", nullable: false),
                    debtor_id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    built_at = table.Column<long>(type: "INTEGER", nullable: false),
                    worked_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_work_queue_entries", x => x.account_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_contact_points_normalized",
                table: "contact_points",
                column: "normalized");

            migrationBuilder.CreateIndex(
                name: "ix_account_assignments_collector",
                table: "account_assignments",
                column: "collector");

            migrationBuilder.CreateIndex(
                name: "ix_follow_ups_account_id_state",
                table: "follow_ups",
                columns: new[] { "account_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_follow_ups_owner_state_due_at",
                table: "follow_ups",
                columns: new[] { "owner", "state", "due_at" });

            migrationBuilder.CreateIndex(
                name: "ix_interactions_contact_point_id",
                table: "interactions",
                column: "contact_point_id");

            migrationBuilder.CreateIndex(
                name: "ix_interactions_corrects",
                table: "interactions",
                column: "corrects");

            migrationBuilder.CreateIndex(
                name: "ix_interactions_debtor_id_occurred_at",
                table: "interactions",
                columns: new[] { "debtor_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_interactions_recorded_by_occurred_at",
                table: "interactions",
                columns: new[] { "recorded_by", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_work_queue_entries_collector_priority_account_id",
                table: "work_queue_entries",
                columns: new[] { "collector", "priority", "account_id" },
                descending: new[] { false, true, false },
                filter: "worked_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "account_assignments");

            migrationBuilder.DropTable(
                name: "assignment_rules");

            migrationBuilder.DropTable(
                name: "collector_profiles");

            migrationBuilder.DropTable(
                name: "follow_ups");

            migrationBuilder.DropTable(
                name: "interactions");

            migrationBuilder.DropTable(
                name: "work_queue_entries");

            migrationBuilder.DropIndex(
                name: "ix_contact_points_normalized",
                table: "contact_points");

            migrationBuilder.DropColumn(
                name: "attorney",
                table: "debtors");

            migrationBuilder.DropColumn(
                name: "attorney_represented_since",
                table: "debtors");

            migrationBuilder.DropColumn(
                name: "cease_communication_at",
                table: "debtors");

            migrationBuilder.DropColumn(
                name: "inconvenient_times",
                table: "debtors");

            migrationBuilder.DropColumn(
                name: "language",
                table: "debtors");

            migrationBuilder.DropColumn(
                name: "opted_out_at",
                table: "debtors");

            migrationBuilder.DropColumn(
                name: "opted_out_channels",
                table: "debtors");

            migrationBuilder.DropColumn(
                name: "workplace_contact_prohibited",
                table: "debtors");

            migrationBuilder.DropColumn(
                name: "autodialer_consent_given_at",
                table: "contact_points");

            migrationBuilder.DropColumn(
                name: "autodialer_consent_how_obtained",
                table: "contact_points");

            migrationBuilder.DropColumn(
                name: "autodialer_consent_revoked_at",
                table: "contact_points");

            migrationBuilder.DropColumn(
                name: "confidence",
                table: "contact_points");

            migrationBuilder.DropColumn(
                name: "created_at",
                table: "contact_points");

            migrationBuilder.DropColumn(
                name: "normalized",
                table: "contact_points");

            migrationBuilder.DropColumn(
                name: "opted_out_at",
                table: "contact_points");

            migrationBuilder.DropColumn(
                name: "phone_type",
                table: "contact_points");

            migrationBuilder.DropColumn(
                name: "source_detail",
                table: "contact_points");

            migrationBuilder.DropColumn(
                name: "text_consent_given_at",
                table: "contact_points");

            migrationBuilder.DropColumn(
                name: "text_consent_how_obtained",
                table: "contact_points");

            migrationBuilder.DropColumn(
                name: "text_consent_revoked_at",
                table: "contact_points");

            migrationBuilder.DropColumn(
                name: "time_zones",
                table: "contact_points");

            migrationBuilder.DropColumn(
                name: "delinquency_reason",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "delinquency_reason_at",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "language",
                table: "account_summaries");

            migrationBuilder.DropColumn(
                name: "last_contact_at",
                table: "account_summaries");

            migrationBuilder.DropColumn(
                name: "region",
                table: "account_summaries");

            migrationBuilder.DropColumn(
                name: "time_zones",
                table: "account_summaries");
        }
    }
}
