from tdkt.accounts.rules import register

register("dossiers.view", "dossiers.prepare", "dossiers.approve", "dossiers.appraise", "dossiers.sign")
