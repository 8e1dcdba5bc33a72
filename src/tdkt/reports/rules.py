from tdkt.accounts.rules import register

register("reports.view", "reports.export_forms")
