from django.urls import path

from deputyhome.core.pages import page_paths

from .views import activities, campaigns, problems, standards, stats

app_name = "activities"
urlpatterns = [
    # Activities
    *activities.activities.urls(""),
    path("<id:activity_pk>/outputs/new/", activities.OutputForm.as_view(), name="output_create"),
    path("outputs/<id:pk>/edit/", activities.OutputForm.as_view(), name="output_update"),
    path("outputs/<id:pk>/delete/", activities.OutputDelete.as_view(), name="output_delete"),
    path("outputs/<id:pk>/file/", activities.output_file, name="output_file"),
    path("photos/<id:pk>/", activities.activity_photo, name="activity_photo"),
    # Problems and the fast lane
    *problems.problems.urls("problems"),
    path("problems/<id:pk>/<slug:action>/", problems.problem_action, name="problem_action"),
    path("referrals/", problems.ReferralList.as_view(), name="referral_list"),
    path("referrals/<id:pk>/", problems.referral_detail, name="referral_detail"),
    path("referrals/<id:pk>/reply/", problems.referral_reply, name="referral_reply"),
    # Campaigns
    *campaigns.campaigns.urls("campaigns"),
    path("campaigns/<id:pk>/themes/", campaigns.theme_set, name="theme_set"),
    path("campaigns/<id:pk>/topics/", campaigns.topic_set, name="topic_set"),
    path("themes/<id:pk>/delete/", campaigns.ThemeDelete.as_view(), name="theme_delete"),
    path("topics/<id:pk>/delete/", campaigns.TopicDelete.as_view(), name="topic_delete"),
    # Station standards and rules
    *standards.standards.urls("standards"),
    path("standards/pass-score/", standards.policy, name="policy"),
    path("assessments/overview/", standards.AssessmentOverview.as_view(), name="assessment_overview"),
    *page_paths(
        "assessments",
        "assessment",
        register=standards.AssessmentList,
        form=standards.assessment_form,
        detail=standards.assessment_detail,
        delete=standards.AssessmentDelete,
    ),
    path("evidence/<id:pk>/", standards.evidence_photo, name="evidence_photo"),
    *standards.rules.urls("rules"),
    path("rules/<id:rule_pk>/versions/new/", standards.RuleVersionForm.as_view(), name="rule_version_create"),
    path("rules/<id:rule_pk>/post/", standards.posting_create, name="posting_create"),
    path("postings/<id:pk>/delete/", standards.PostingDelete.as_view(), name="posting_delete"),
    # Statistics
    path("stats/", stats.stats_page, name="stats"),
]
