from django.urls import path

from .views import activities, campaigns, problems, standards, stats

app_name = "activities"
urlpatterns = [
    # Activities
    path("", activities.ActivityList.as_view(), name="activity_list"),
    path("new/", activities.ActivityForm.as_view(), name="activity_create"),
    path("<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", activities.ActivityForm.as_view(), name="activity_update"),
    path("<int:pk>/delete/", activities.ActivityDelete.as_view(), name="activity_delete"),
    path("<int:activity_pk>/outputs/new/", activities.OutputForm.as_view(), name="output_create"),
    path("outputs/<int:pk>/edit/", activities.OutputForm.as_view(), name="output_update"),
    path("outputs/<int:pk>/delete/", activities.OutputDelete.as_view(), name="output_delete"),
    path("outputs/<int:pk>/file/", activities.output_file, name="output_file"),
    path("photos/<int:pk>/", activities.activity_photo, name="activity_photo"),
    # Problems and the fast lane
    path("problems/", problems.ProblemList.as_view(), name="problem_list"),
    path("problems/new/", problems.ProblemForm.as_view(), name="problem_create"),
    path("problems/<int:pk>/", problems.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", problems.ProblemForm.as_view(), name="problem_update"),
    path("problems/<int:pk>/delete/", problems.ProblemDelete.as_view(), name="problem_delete"),
    path("problems/<int:pk>/<slug:action>/", problems.problem_action, name="problem_action"),
    path("referrals/", problems.ReferralList.as_view(), name="referral_list"),
    path("referrals/<int:pk>/", problems.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/reply/", problems.referral_reply, name="referral_reply"),
    # Campaigns
    path("campaigns/", campaigns.CampaignList.as_view(), name="campaign_list"),
    path("campaigns/new/", campaigns.CampaignForm.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaigns.CampaignForm.as_view(), name="campaign_update"),
    path("campaigns/<int:pk>/delete/", campaigns.CampaignDelete.as_view(), name="campaign_delete"),
    path("campaigns/<int:pk>/themes/", campaigns.theme_set, name="theme_set"),
    path("campaigns/<int:pk>/topics/", campaigns.topic_set, name="topic_set"),
    path("themes/<int:pk>/delete/", campaigns.ThemeDelete.as_view(), name="theme_delete"),
    path("topics/<int:pk>/delete/", campaigns.TopicDelete.as_view(), name="topic_delete"),
    # Station standards and rules
    path("standards/", standards.StandardList.as_view(), name="standard_list"),
    path("standards/new/", standards.StandardForm.as_view(), name="standard_create"),
    path("standards/<int:pk>/edit/", standards.StandardForm.as_view(), name="standard_update"),
    path("standards/pass-score/", standards.policy, name="policy"),
    path("assessments/", standards.AssessmentList.as_view(), name="assessment_list"),
    path("assessments/overview/", standards.AssessmentOverview.as_view(), name="assessment_overview"),
    path("assessments/new/", standards.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", standards.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/edit/", standards.assessment_update, name="assessment_update"),
    path("assessments/<int:pk>/delete/", standards.AssessmentDelete.as_view(), name="assessment_delete"),
    path("evidence/<int:pk>/", standards.evidence_photo, name="evidence_photo"),
    path("rules/", standards.RuleList.as_view(), name="rule_list"),
    path("rules/new/", standards.RuleForm.as_view(), name="rule_create"),
    path("rules/<int:pk>/", standards.rule_detail, name="rule_detail"),
    path("rules/<int:pk>/edit/", standards.RuleForm.as_view(), name="rule_update"),
    path("rules/<int:rule_pk>/versions/new/", standards.RuleVersionForm.as_view(), name="rule_version_create"),
    path("rules/<int:rule_pk>/post/", standards.posting_create, name="posting_create"),
    path("postings/<int:pk>/delete/", standards.PostingDelete.as_view(), name="posting_delete"),
    # Statistics
    path("stats/", stats.stats_page, name="stats"),
]
