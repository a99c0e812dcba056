"""The alert formatter: CloudWatch alarm notifications in, emails that carry the evidence out."""
