Feature: An auditor proves who decided what, and that nothing was altered
  Internal audit and OJK examiners ask, months later, who decided each credit, on which facts,
  under which policy version, and whether the same process would decide the same today.

  Background:
    Given the branch officers are on duty
    And a credit of Rp 80000000 was disbursed last month

  Scenario: The history of a disbursed credit is intact and replays the same
    When the auditor verifies the application's history
    Then the history is intact
    When the auditor replays the application
    Then the replay reproduces every decision
    And the audit report names who completed each task, in which role

  Scenario: An edited record is found at the exact event
    Given someone changed the approved amount in the stored history
    When the auditor verifies the application's history
    Then the history is broken at the approval with reason "changed"

  Scenario: The auditor can look but not touch
    Then the auditor cannot start an application or work on any task
    And the auditor's reading of the application is on record

  Scenario: A stricter DSR limit is backtested before it goes live
    Given the process owner deploys a version whose DSR limit is 20 %
    When the auditor asks what that version would have decided
    Then the disbursed credit would have been declined with "DSR_ABOVE_LIMIT"
    And nothing in the live application changed
