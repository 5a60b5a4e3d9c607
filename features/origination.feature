Feature: A credit application runs from collection to disbursement
  The account officer registers the application, the surveyor visits, the analyst analyses,
  the approver decides within the authority limit and operations disburse.

  Background:
    Given the branch officers are on duty

  Scenario Outline: A secured credit is disbursed, whatever the segment
    Given an account officer registers a "<product>" application for Rp <amount> over <tenor> months
    When the documents are complete
    And the surveyor finds everything valid
    And the analyst recommends approval of the full amount
    And "<approver>" approves the full amount
    And operations sign the contract and bind the collateral
    Then the application is "disbursed" at stage "monitoring"
    And core banking paid out the approved amount once
    And the event log shows who completed each task

    Examples:
      | product   | amount    | tenor | approver |
      | kpr       | 90000000  | 120   | bcm      |
      | kendaraan | 60000000  | 36    | bcm      |
      | kmk       | 95000000  | 36    | bcm      |

  Scenario: Missing documents keep the application with the account officer
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months
    When the account officer records that the NPWP is missing
    Then the open task is "collect_documents" for the role "account_officer"

  Scenario: The surveyor revisits before deciding
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months
    When the documents are complete
    And the surveyor asks for a revisit
    Then the open task is "survey_applicant" for the role "surveyor"

  Scenario: The analyst sends the application back to survey
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months
    When the documents are complete
    And the surveyor finds everything valid
    And the analyst asks for a resurvey
    Then the open task is "survey_applicant" for the role "surveyor"

  Scenario: The approver returns the application to the analyst
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months
    When the documents are complete
    And the surveyor finds everything valid
    And the analyst recommends approval of the full amount
    And "bcm" returns the application to the analyst
    Then the open task is "analyse_credit" for the role "credit_analyst"

  Scenario: An approver may approve a lower amount but never a higher one
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months
    When the documents are complete
    And the surveyor finds everything valid
    And the analyst recommends approval of the full amount
    Then "bcm" cannot approve Rp 90000000
    When "bcm" approves Rp 70000000
    And operations sign the contract and bind the collateral
    Then the application is "disbursed" at stage "monitoring"
    And core banking paid out Rp 70000000

  Scenario Outline: A rejection at any stage ends with a reason code and a notification task
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months
    When the application is rejected at the <stage> stage
    Then the application waits for the account officer to notify the applicant
    And the rejection reason is "<reason>"
    When the account officer notifies the applicant by "whatsapp"
    Then the application is "rejected" at stage "closed"

    Examples:
      | stage    | reason                 |
      | survey   | INCOME_NOT_VERIFIED    |
      | analysis | INSUFFICIENT_CAPACITY  |
      | approval | RISK_NOT_ACCEPTABLE    |
      | contract | DEBTOR_WITHDREW        |

  Scenario: Collateral binding can wait for the land office
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months
    When the documents are complete
    And the surveyor finds everything valid
    And the analyst recommends approval of the full amount
    And "bcm" approves the full amount
    And operations sign the contract but the collateral binding is still pending
    Then the open task is "bind_collateral" for the role "operations"
    When operations bind the collateral
    Then the application is "disbursed" at stage "monitoring"
