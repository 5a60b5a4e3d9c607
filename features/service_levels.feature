Feature: Service levels are kept, counted in working days
  A survey is due within 3 working days of its assignment, an analysis and an approval within 2.
  Saturdays, Sundays and the days of the holiday calendar do not count. A task past its level is
  flagged overdue in the inbox and the supervisor gets an escalation task; the task stays with its
  officer.

  Background:
    Given the branch officers are on duty

  Scenario Outline: A task past its service level is overdue and escalated to the supervisor
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months
    When the application waits for "<task>"
    And <within> working days pass and the worker runs
    Then "<task>" is not overdue and the supervisor has no escalation
    When one more working day passes and the worker runs
    Then "<task>" is overdue in the "<role>" inbox
    And the supervisor has an escalation task
    When the supervisor records that the officer was reminded
    Then the open task is "<task>" for the role "<role>"

    Examples:
      | task             | within | role           |
      | survey_applicant | 2      | surveyor       |
      | analyse_credit   | 1      | credit_analyst |
      | approve_credit   | 1      | approver       |

  Scenario: Weekends and holidays do not count
    Given it is Wednesday 23 December 2026, 09:00
    And an account officer registers a "multiguna" application for Rp 80000000 over 36 months
    When the documents are complete
    Then the survey is due on 2026-12-30 at 09:00, after Christmas and the weekend

  Scenario: Missing documents are chased every 2 days and the application lapses after the third try
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months
    When 2 days pass without documents and the worker runs
    Then the account officer has a follow-up task for the missing documents
    When the account officer records a WhatsApp follow-up
    And 2 days pass without documents and the worker runs
    And the account officer records a WhatsApp follow-up
    And 2 days pass without documents and the worker runs
    And the account officer records a WhatsApp follow-up
    Then the application is "active" at stage "collection"
    When 2 days pass without documents and the worker runs
    Then the application is "lapsed" at stage "closed"
