// Labels in Indonesian (the officers' language, the default) and English; Rupiah and dates.
import { createContext, useContext } from 'react';

export const LANGS = ['id', 'en'];

const UI = {
  id: {
    appName: 'Alur', tagline: 'Alur kredit', signIn: 'Masuk', signOut: 'Keluar',
    signInTitle: 'Masuk ke Alur', tokenLabel: 'Token akses', tokenHelp:
      'Tempelkan token yang diberikan `alur serve` atau `alur users create`. Token hanya disimpan di tab ini.',
    signInFailed: 'Token tidak dikenal atau sudah dicabut.', signingIn: 'Memeriksa…',
    language: 'Bahasa', english: 'English', indonesian: 'Bahasa Indonesia', signedInAs: 'Masuk sebagai',
    mainNav: 'Navigasi utama', skipToContent: 'Langsung ke isi',
    navInbox: 'Kotak tugas', navApplications: 'Aplikasi', navNew: 'Aplikasi baru', navAudit: 'Audit',
    navDefinitions: 'Versi proses', navReport: 'Laporan bulanan',
    loading: 'Memuat…', error: 'Terjadi kesalahan', retry: 'Coba lagi', back: 'Kembali',
    noAccess: 'Peran Anda tidak memiliki akses ke halaman ini.',
    inboxTitle: 'Kotak tugas', filterAssigned: 'Tampilkan', assignedAny: 'Semua', assignedNone: 'Belum diambil',
    assignedMe: 'Milik saya', filterRole: 'Peran', allRoles: 'Semua peran saya', sortBy: 'Urutkan',
    sortDue: 'Tenggat terdekat', sortAge: 'Terlama dibuka', countsPerStage: 'Jumlah tugas per tahap',
    noTasks: 'Tidak ada tugas.', colTask: 'Tugas', colApplication: 'Aplikasi', colStage: 'Tahap',
    colRole: 'Peran', colAge: 'Umur', colDue: 'Tenggat', colAssignee: 'Diambil oleh', colActions: 'Aksi',
    overdue: 'Terlambat', claim: 'Ambil', release: 'Lepas', open: 'Buka', nobody: '—',
    claimed: 'Tugas diambil.', released: 'Tugas dilepas.', refresh: 'Muat ulang', total: 'Total',
    taskTitle: 'Tugas', claimFirst: 'Ambil tugas ini untuk mengisi formulir.',
    heldBy: 'Tugas ini sedang dipegang oleh {name}.', readOnly: 'Hanya baca: peran Anda tidak mengerjakan tugas ini.',
    taskDone: 'Tugas ini sudah {status}.', submit: 'Kirim', submitting: 'Mengirim…',
    formHasErrors: 'Formulir berisi kesalahan. Perbaiki isian yang ditandai lalu kirim lagi.',
    errorsSummary: 'Kesalahan pada formulir', submitted: 'Tugas selesai.',
    nowAt: 'Aplikasi {number} sekarang pada tahap {stage} (status {status}).', nextTasks: 'Tugas berikutnya',
    noOpenTasks: 'Tidak ada tugas terbuka.', backToInbox: 'Kembali ke kotak tugas',
    viewApplication: 'Lihat aplikasi', instructions: 'Petunjuk', due: 'Tenggat',
    summaryTitle: 'Ringkasan aplikasi', applicant: 'Pemohon', product: 'Produk', amount: 'Jumlah pengajuan',
    tenor: 'Tenor', months: '{n} bulan', dsr: 'DSR', dsrDeclared: 'DSR (dinyatakan)',
    dsrAnalysed: 'DSR (terverifikasi)', installment: 'Angsuran', riskGrade: 'Tingkat risiko',
    recommendedAmount: 'Plafon direkomendasikan', approvedAmount: 'Plafon disetujui',
    ltv: 'LTV', approvalTier: 'Kewenangan memutus', stage: 'Tahap', status: 'Status',
    decisionsSoFar: 'Keputusan sejauh ini', noDecisions: 'Belum ada keputusan.', branch: 'Cabang',
    createdBy: 'Didaftarkan oleh', createdAt: 'Didaftarkan', number: 'Nomor', version: 'Versi',
    requiredAuthority: 'Kewenangan yang diperlukan', collectibility: 'Kolektibilitas',
    applicationsTitle: 'Aplikasi kredit', filterStage: 'Tahap', filterStatus: 'Status', anyStage: 'Semua tahap',
    anyStatus: 'Semua status', searchNumber: 'Nomor aplikasi', search: 'Cari', noApplications: 'Tidak ada aplikasi.',
    previous: 'Sebelumnya', next: 'Berikutnya', pageOf: 'Halaman {page} dari {pages}',
    diagramTitle: 'Diagram dengan jalur yang ditempuh', timelineTitle: 'Linimasa peristiwa',
    legendDone: 'Dilalui', legendCurrent: 'Tugas saat ini', legendDecision: 'Keputusan',
    legendNotTaken: 'Tidak dilalui', diagramDenied:
      'Diagram proses hanya dapat dibaca oleh auditor, supervisor dan pemilik proses; linimasa tetap tersedia.',
    diagramFailed: 'Diagram tidak dapat ditampilkan: {message}', zoomFit: 'Sesuaikan diagram',
    pathTaken: 'Jalur yang ditempuh', currentTasks: 'Tugas saat ini',
    auditTitle: 'Audit', verify: 'Verifikasi rantai peristiwa', replay: 'Putar ulang (replay)',
    verifying: 'Memverifikasi…', replaying: 'Memutar ulang…', intact: 'Utuh', broken: 'Rusak',
    chainIntact: 'Rantai peristiwa utuh ({events} peristiwa).',
    chainBroken: 'Rantai rusak pada peristiwa {at} ({reason}): {detail}',
    reproduced: 'Direproduksi: {checked} keputusan diperiksa dan sama.',
    diverged: 'Menyimpang pada peristiwa {at}.', recorded: 'Tercatat', replayed: 'Hasil putar ulang',
    definitionChanged: 'Versi kebijakan yang tersimpan tidak lagi cocok dengan SHA-256-nya.',
    pointInTime: 'Keadaan pada suatu titik waktu', stateAfter: 'Keadaan setelah peristiwa {n} dari {total}',
    eventSlider: 'Peristiwa ke-', stateData: 'Data proses', showLatest: 'Kembali ke keadaan terbaru',
    printableReport: 'Laporan audit (cetak)', printReport: 'Cetak', downloadHtml: 'Unduh HTML',
    reportTitle: 'Laporan audit aplikasi {number}', preparedFor: 'Disiapkan untuk {name}.',
    policyVersion: 'Versi kebijakan', verificationReplay: 'Verifikasi dan putar ulang',
    decisions: 'Keputusan', timeline: 'Linimasa', colSeq: '#', colWhen: 'Waktu (WIB)', colWho: 'Oleh',
    colWhat: 'Peristiwa', colDetails: 'Rincian', colElement: 'Elemen', colDecision: 'Keputusan',
    colInputs: 'Masukan', colRule: 'Aturan', colOutcome: 'Hasil', gateway: 'gateway', noneMatched: 'tidak ada yang cocok',
    verifyAll: 'Verifikasi semua rantai', verifyAllResult: '{intact} utuh, {broken} rusak dari {total} aplikasi.',
    definitionsTitle: 'Versi proses yang terpasang', colKey: 'Proses', colVersion: 'Versi',
    colDeployedAt: 'Dipasang', colDeployedBy: 'Oleh', colSha: 'SHA-256', latest: 'terbaru',
    coverage: 'Cakupan', showCoverage: 'Diagram cakupan', diffTitle: 'Perbedaan dua versi',
    diffFrom: 'Dari versi', diffTo: 'Ke versi', compare: 'Bandingkan', added: 'Ditambahkan',
    removed: 'Dihapus', changed: 'Diubah', elements: 'Elemen BPMN', rules: 'Aturan DMN', none: 'tidak ada',
    coverageTitle: 'Cakupan {key} v{version}', coverageNodes: 'Simpul alur: {text}',
    coverageFlows: 'Alur urutan: {text}', covered: 'Tercakup', uncovered: 'Tidak tercakup',
    coverageExplain: 'Jalur yang telah ditempuh oleh aplikasi yang tercatat pada versi ini.',
    reportPageTitle: 'Laporan bulanan', month: 'Bulan', show: 'Tampilkan', downloadCsv: 'Unduh CSV',
    collected: 'Dikumpulkan', surveyed: 'Disurvei', approved: 'Disetujui', rejected: 'Ditolak',
    lapsed: 'Kedaluwarsa', disbursed: 'Dicairkan', pipelineChart: 'Alur pipa per tahap',
    approvalsChart: 'Persetujuan vs penolakan per AO', turnaroundChart: 'Waktu proses per tahap (jam)',
    portfolioChart: 'Portofolio per kolektibilitas', meanHours: 'Rata-rata (jam)', medianHours: 'Median (jam)',
    tasksCompleted: 'Tugas selesai', loans: 'Pinjaman', outstanding: 'Baki debet', nplRatio: 'Rasio NPL',
    breaches: 'Pelanggaran SLA', escalations: 'Eskalasi', count: 'Jumlah', accountOfficer: 'AO',
    dataTable: 'Tabel data', period: 'Periode', utcMonth: 'bulan kalender UTC', generatedAt: 'Dibuat',
    newTitle: 'Daftarkan aplikasi kredit', register: 'Daftarkan', registered: 'Aplikasi {number} terdaftar.',
    yes: 'Ya', no: 'Tidak', details: 'Rincian', home: 'Beranda', noRoleHome:
      'Token ini tidak memiliki peran yang memakai antarmuka ini.',
    wib: 'WIB', ageJustNow: 'baru saja', ageMinutes: '{n} menit', ageHours: '{n} jam', ageDays: '{n} hari',
  },
  en: {
    appName: 'Alur', tagline: 'The flow of a credit', signIn: 'Sign in', signOut: 'Sign out',
    signInTitle: 'Sign in to Alur', tokenLabel: 'Access token', tokenHelp:
      'Paste the token printed by `alur serve` or `alur users create`. It is kept in this tab only.',
    signInFailed: 'This token is unknown or revoked.', signingIn: 'Checking…',
    language: 'Language', english: 'English', indonesian: 'Bahasa Indonesia', signedInAs: 'Signed in as',
    mainNav: 'Main navigation', skipToContent: 'Skip to content',
    navInbox: 'Inbox', navApplications: 'Applications', navNew: 'New application', navAudit: 'Audit',
    navDefinitions: 'Process versions', navReport: 'Monthly report',
    loading: 'Loading…', error: 'Something went wrong', retry: 'Try again', back: 'Back',
    noAccess: 'Your roles may not open this page.',
    inboxTitle: 'Inbox', filterAssigned: 'Show', assignedAny: 'All', assignedNone: 'Unassigned',
    assignedMe: 'Mine', filterRole: 'Role', allRoles: 'All my roles', sortBy: 'Sort by',
    sortDue: 'Soonest due', sortAge: 'Oldest first', countsPerStage: 'Tasks per stage',
    noTasks: 'No tasks.', colTask: 'Task', colApplication: 'Application', colStage: 'Stage',
    colRole: 'Role', colAge: 'Age', colDue: 'Due', colAssignee: 'Held by', colActions: 'Actions',
    overdue: 'Overdue', claim: 'Claim', release: 'Release', open: 'Open', nobody: '—',
    claimed: 'Task claimed.', released: 'Task released.', refresh: 'Refresh', total: 'Total',
    taskTitle: 'Task', claimFirst: 'Claim this task to fill in its form.',
    heldBy: '{name} holds this task.', readOnly: 'Read only: your roles do not work on this task.',
    taskDone: 'This task is {status}.', submit: 'Submit', submitting: 'Submitting…',
    formHasErrors: 'The form has errors. Correct the marked fields and submit again.',
    errorsSummary: 'Errors in the form', submitted: 'Task completed.',
    nowAt: 'Application {number} is now at stage {stage} (status {status}).', nextTasks: 'Next tasks',
    noOpenTasks: 'No open tasks.', backToInbox: 'Back to the inbox',
    viewApplication: 'View the application', instructions: 'Instructions', due: 'Due',
    summaryTitle: 'Application summary', applicant: 'Applicant', product: 'Product', amount: 'Amount applied for',
    tenor: 'Tenor', months: '{n} months', dsr: 'DSR', dsrDeclared: 'DSR (declared)',
    dsrAnalysed: 'DSR (verified)', installment: 'Installment', riskGrade: 'Risk grade',
    recommendedAmount: 'Recommended amount', approvedAmount: 'Approved amount',
    ltv: 'LTV', approvalTier: 'Approval authority', stage: 'Stage', status: 'Status',
    decisionsSoFar: 'Decisions so far', noDecisions: 'No decisions yet.', branch: 'Branch',
    createdBy: 'Registered by', createdAt: 'Registered', number: 'Number', version: 'Version',
    requiredAuthority: 'Authority needed', collectibility: 'Collectibility',
    applicationsTitle: 'Credit applications', filterStage: 'Stage', filterStatus: 'Status', anyStage: 'Any stage',
    anyStatus: 'Any status', searchNumber: 'Application number', search: 'Search', noApplications: 'No applications.',
    previous: 'Previous', next: 'Next', pageOf: 'Page {page} of {pages}',
    diagramTitle: 'Diagram with the path taken', timelineTitle: 'Timeline of events',
    legendDone: 'Taken', legendCurrent: 'Current task', legendDecision: 'Decision',
    legendNotTaken: 'Not taken', diagramDenied:
      'Only auditors, supervisors and process owners may read the process diagram; the timeline is here.',
    diagramFailed: 'Cannot show the diagram: {message}', zoomFit: 'Fit the diagram',
    pathTaken: 'Path taken', currentTasks: 'Current tasks',
    auditTitle: 'Audit', verify: 'Verify the event chain', replay: 'Replay',
    verifying: 'Verifying…', replaying: 'Replaying…', intact: 'Intact', broken: 'Broken',
    chainIntact: 'Event chain intact ({events} events).',
    chainBroken: 'Chain broken at event {at} ({reason}): {detail}',
    reproduced: 'Reproduced: {checked} decisions checked and equal.',
    diverged: 'Diverged at event {at}.', recorded: 'Recorded', replayed: 'Replayed',
    definitionChanged: 'The stored policy version no longer matches its SHA-256.',
    pointInTime: 'Point in time', stateAfter: 'State after event {n} of {total}',
    eventSlider: 'Event number', stateData: 'Process data', showLatest: 'Back to the latest state',
    printableReport: 'Audit report (printable)', printReport: 'Print', downloadHtml: 'Download HTML',
    reportTitle: 'Audit report: application {number}', preparedFor: 'Prepared for {name}.',
    policyVersion: 'Policy version', verificationReplay: 'Verification and replay',
    decisions: 'Decisions', timeline: 'Timeline', colSeq: '#', colWhen: 'When (WIB)', colWho: 'Who',
    colWhat: 'Event', colDetails: 'Details', colElement: 'Element', colDecision: 'Decision',
    colInputs: 'Inputs', colRule: 'Rule', colOutcome: 'Outcome', gateway: 'gateway', noneMatched: 'none matched',
    verifyAll: 'Verify every chain', verifyAllResult: '{intact} intact, {broken} broken of {total} applications.',
    definitionsTitle: 'Deployed process versions', colKey: 'Process', colVersion: 'Version',
    colDeployedAt: 'Deployed', colDeployedBy: 'By', colSha: 'SHA-256', latest: 'latest',
    coverage: 'Coverage', showCoverage: 'Coverage diagram', diffTitle: 'Difference between two versions',
    diffFrom: 'From version', diffTo: 'To version', compare: 'Compare', added: 'Added',
    removed: 'Removed', changed: 'Changed', elements: 'BPMN elements', rules: 'DMN rules', none: 'none',
    coverageTitle: 'Coverage of {key} v{version}', coverageNodes: 'Flow nodes: {text}',
    coverageFlows: 'Sequence flows: {text}', covered: 'Covered', uncovered: 'Not covered',
    coverageExplain: 'The path the applications recorded on this version went through.',
    reportPageTitle: 'Monthly report', month: 'Month', show: 'Show', downloadCsv: 'Download CSV',
    collected: 'Collected', surveyed: 'Surveyed', approved: 'Approved', rejected: 'Rejected',
    lapsed: 'Lapsed', disbursed: 'Disbursed', pipelineChart: 'Pipeline by stage',
    approvalsChart: 'Approvals vs rejections per AO', turnaroundChart: 'Turnaround per stage (hours)',
    portfolioChart: 'Portfolio by collectibility', meanHours: 'Mean (hours)', medianHours: 'Median (hours)',
    tasksCompleted: 'Tasks completed', loans: 'Loans', outstanding: 'Outstanding', nplRatio: 'NPL ratio',
    breaches: 'Service level breaches', escalations: 'Escalations', count: 'Count', accountOfficer: 'AO',
    dataTable: 'Data table', period: 'Period', utcMonth: 'UTC calendar month', generatedAt: 'Generated',
    newTitle: 'Register a credit application', register: 'Register', registered: 'Application {number} registered.',
    yes: 'Yes', no: 'No', details: 'Details', home: 'Home', noRoleHome:
      'This token holds no role that uses this interface.',
    wib: 'WIB', ageJustNow: 'just now', ageMinutes: '{n} min', ageHours: '{n} h', ageDays: '{n} d',
  },
};

// Domain words: roles, stages, statuses, tasks, events, products, reason codes.
const WORDS = {
  role: {
    account_officer: ['Account Officer (AO)', 'Account officer (AO)'], surveyor: ['Surveyor (CMO)', 'Surveyor (CMO)'],
    credit_analyst: ['Analis kredit', 'Credit analyst'], approver: ['Pemutus kredit', 'Approver'],
    operations: ['Admin kredit / operasional', 'Operations'], collection: ['Remedial / penagihan', 'Collection'],
    supervisor: ['Manajer pemasaran', 'Supervisor'], integration: ['Integrasi sistem', 'Integration'],
    process_owner: ['Pemilik proses', 'Process owner'], auditor: ['Auditor', 'Auditor'],
  },
  stage: {
    started: ['Dimulai', 'Started'], collection: ['Pengumpulan', 'Collection'], survey: ['Survei', 'Survey'],
    analysis: ['Analisis', 'Analysis'], approval: ['Persetujuan', 'Approval'],
    disbursement: ['Pencairan', 'Disbursement'], monitoring: ['Pemantauan', 'Monitoring'],
    rescue: ['Penyelamatan', 'Rescue'], closed: ['Selesai', 'Closed'],
  },
  status: {
    active: ['aktif', 'active'], rejected: ['ditolak', 'rejected'], lapsed: ['kedaluwarsa', 'lapsed'],
    disbursed: ['dicairkan', 'disbursed'], completed: ['selesai', 'completed'], paid_off: ['lunas', 'paid off'],
    open: ['terbuka', 'open'], claimed: ['diambil', 'claimed'], cancelled: ['dibatalkan', 'cancelled'],
  },
  task: {
    collect_documents: ['Kumpulkan dokumen', 'Collect documents'],
    follow_up_documents: ['Tindak lanjut dokumen', 'Follow up documents'],
    survey_applicant: ['Survei pemohon', 'Survey the applicant'],
    analyse_credit: ['Analisis kredit', 'Analyse credit'], approve_credit: ['Putuskan kredit', 'Approve credit'],
    vote_committee: ['Suara komite kredit', 'Committee vote'], sign_contract: ['Penandatanganan akad', 'Sign contract'],
    bind_collateral: ['Pengikatan agunan', 'Bind collateral'], notify_rejection: ['Beri tahu penolakan', 'Notify rejection'],
    escalate_overdue_task: ['Eskalasi tugas terlambat', 'Escalate overdue task'],
    follow_up_late_payment: ['Tindak lanjut keterlambatan', 'Follow up late payment'],
    prepare_rescue_plan: ['Susun rencana penyelamatan', 'Prepare rescue plan'],
    approve_rescue_plan: ['Putuskan rencana penyelamatan', 'Approve rescue plan'],
    visit_debtor: ['Kunjungi debitur', 'Visit debtor'],
  },
  event: {
    application_started: ['Aplikasi didaftarkan', 'Application started'], case_started: ['Kasus dimulai', 'Case started'],
    loan_opened: ['Pinjaman dibuka', 'Loan opened'], task_opened: ['Tugas dibuka', 'Task opened'],
    task_claimed: ['Tugas diambil', 'Task claimed'], task_released: ['Tugas dilepas', 'Task released'],
    task_completed: ['Tugas diselesaikan', 'Task completed'], task_cancelled: ['Tugas dibatalkan', 'Task cancelled'],
    gateway_passed: ['Gateway dilalui', 'Gateway passed'], rule_evaluated: ['Aturan DMN dievaluasi', 'Rule evaluated'],
    script_ran: ['Skrip dijalankan', 'Script ran'], connector_called: ['Sistem luar dipanggil', 'Connector called'],
    connector_failed: ['Panggilan sistem luar gagal', 'Connector failed'], end_reached: ['Akhir tercapai', 'End reached'],
    event_caught: ['Peristiwa diterima', 'Event caught'], timer_fired: ['Timer berbunyi', 'Timer fired'],
    message_delivered: ['Pesan diterima', 'Message delivered'], cycle_continued: ['Bulan berikutnya', 'Cycle continued'],
    incident_opened: ['Insiden dibuka', 'Incident opened'], incident_resolved: ['Insiden diselesaikan', 'Incident resolved'],
    migrated: ['Dipindahkan ke versi lain', 'Migrated'],
  },
  product: {
    kpr: ['KPR', 'Mortgage (KPR)'], multiguna: ['Kredit Multiguna', 'Multipurpose credit'],
    kendaraan: ['Kredit Kendaraan Bermotor', 'Vehicle credit'], kmk: ['Kredit Modal Kerja', 'Working capital credit'],
    ki: ['Kredit Investasi', 'Investment credit'],
  },
  collectibility: {
    1: ['1 Lancar', '1 Current (Lancar)'], 2: ['2 Dalam Perhatian Khusus', '2 Special mention (DPK)'],
    3: ['3 Kurang Lancar', '3 Substandard'], 4: ['4 Diragukan', '4 Doubtful'], 5: ['5 Macet', '5 Loss (Macet)'],
  },
};

// Form fields (by property name) and their choices; the schema's own title is the fallback.
const FIELDS = {
  character_score: ['Karakter (1–5)', 'Character (1–5)'], capacity_score: ['Kapasitas (1–5)', 'Capacity (1–5)'],
  capital_score: ['Modal (1–5)', 'Capital (1–5)'], collateral_score: ['Agunan (1–5)', 'Collateral (1–5)'],
  condition_score: ['Kondisi (1–5)', 'Condition (1–5)'],
  collateral_appraised_value: ['Nilai taksasi agunan', 'Appraised collateral value'],
  risk_grade: ['Tingkat risiko', 'Risk grade'], recommendation: ['Rekomendasi', 'Recommendation'],
  recommended_amount: ['Plafon yang direkomendasikan', 'Recommended amount'],
  rejection_reason: ['Alasan penolakan', 'Reason for rejection'], notes: ['Catatan', 'Notes'],
  decision: ['Keputusan', 'Decision'], approved_amount: ['Plafon yang disetujui', 'Approved amount'],
  collateral_bound: ['Agunan telah diikat', 'Collateral bound'],
  binding_reference: ['Nomor sertifikat pengikatan (APHT/fidusia)', 'Binding certificate number'],
  ktp: ['KTP (kartu tanda penduduk)', 'KTP (identity card)'], kk: ['KK (kartu keluarga)', 'KK (family card)'],
  income_proof: ['Slip gaji atau laporan keuangan', 'Payslip or financial statements'],
  npwp: ['NPWP (nomor pokok wajib pajak)', 'NPWP (tax number)'],
  collateral_papers: ['Dokumen agunan', 'Collateral papers'], action: ['Tindakan', 'Action taken'],
  contacted_via: ['Dihubungi melalui', 'Contacted via'], outcome: ['Hasil', 'Outcome'],
  promised_on: ['Tanggal janji bayar', 'Promised payment date'], notified_via: ['Diberitahukan melalui', 'Notified via'],
  plan: ['Rencana', 'Plan'], extension_months: ['Perpanjangan tenor (bulan)', 'Tenor extension (months)'],
  justification: ['Justifikasi', 'Justification'], contract_signed: ['Akad telah ditandatangani', 'Contract signed'],
  contract_number: ['Nomor perjanjian kredit', 'Contract number'], signed_on: ['Tanggal penandatanganan', 'Signed on'],
  verified_income: ['Penghasilan bersih terverifikasi per bulan', 'Verified net monthly income'],
  residence_verified: ['Tempat tinggal terverifikasi', 'Residence verified'],
  residence_status: ['Status tempat tinggal', 'Residence status'],
  residence_years: ['Lama tinggal (tahun)', 'Years at this residence'],
  employment_verified: ['Pekerjaan atau usaha terverifikasi', 'Employment or business verified'],
  dependents: ['Jumlah tanggungan', 'Dependents'], result: ['Hasil survei', 'Survey result'],
  business_condition: ['Kondisi usaha', 'Business condition'], collateral_condition: ['Kondisi agunan', 'Collateral condition'],
  product: ['Produk', 'Product'], amount: ['Jumlah pengajuan', 'Amount applied for'],
  tenor_months: ['Tenor (bulan)', 'Tenor (months)'], channel: ['Sumber prospek', 'Channel'],
  applicant: ['Pemohon', 'Applicant'], name: ['Nama lengkap (sesuai KTP)', 'Full name (as on the KTP)'],
  nik: ['NIK (16 digit)', 'NIK (16 digits)'], birth_date: ['Tanggal lahir', 'Birth date'],
  phone: ['Telepon / WhatsApp', 'Phone / WhatsApp'], address: ['Alamat', 'Address'],
  employment: ['Pekerjaan', 'Employment'], monthly_income: ['Penghasilan bersih per bulan', 'Net monthly income'],
  existing_installments: ['Angsuran berjalan per bulan', 'Existing monthly installments'],
  collateral: ['Agunan', 'Collateral'], kind: ['Jenis agunan', 'Kind of collateral'],
  appraised_value: ['Nilai taksasi', 'Appraised value'],
};

const CHOICES = {
  approve: ['Setujui', 'Approve'], reject: ['Tolak', 'Reject'], resurvey: ['Survei ulang', 'Survey again'],
  return: ['Kembalikan ke analis', 'Return to the analyst'], revise: ['Perlu revisi', 'Revise'],
  reminded: ['Diingatkan', 'Reminded'], reassigned: ['Dialihkan', 'Reassigned'], noted: ['Dicatat', 'Noted'],
  phone: ['Telepon', 'Phone'], sms: ['SMS', 'SMS'], whatsapp: ['WhatsApp', 'WhatsApp'], visit: ['Kunjungan', 'Visit'],
  letter: ['Surat', 'Letter'], email: ['Email', 'Email'],
  documents_promised: ['Dokumen dijanjikan', 'Documents promised'], no_answer: ['Tidak ada jawaban', 'No answer'],
  applicant_withdrew: ['Pemohon mengundurkan diri', 'Applicant withdrew'],
  promised_to_pay: ['Berjanji membayar', 'Promised to pay'], paid: ['Sudah membayar', 'Paid'],
  disputed: ['Menyanggah', 'Disputed'], unreachable: ['Tidak dapat dihubungi', 'Unreachable'],
  rescheduling: ['Penjadwalan kembali', 'Rescheduling'], reconditioning: ['Persyaratan kembali', 'Reconditioning'],
  restructuring: ['Penataan kembali', 'Restructuring'],
  owned: ['Milik sendiri', 'Owned'], family: ['Milik keluarga', 'Family'], rented: ['Sewa / kontrak', 'Rented'],
  official: ['Rumah dinas', 'Official housing'], valid: ['Valid', 'Valid'], invalid: ['Tidak valid', 'Invalid'],
  revisit: ['Kunjungan ulang', 'Revisit'], growing: ['Berkembang', 'Growing'], stable: ['Stabil', 'Stable'],
  declining: ['Menurun', 'Declining'], closed: ['Tutup', 'Closed'], good: ['Baik', 'Good'], fair: ['Cukup', 'Fair'],
  poor: ['Buruk', 'Poor'], missing: ['Tidak ditemukan', 'Missing'],
  referral: ['Referensi', 'Referral'], social_media: ['Media sosial', 'Social media'], walk_in: ['Datang langsung', 'Walk-in'],
  employee: ['Karyawan', 'Employee'], business_owner: ['Pemilik usaha', 'Business owner'],
  land_and_building: ['Tanah dan bangunan', 'Land and building'], apartment: ['Apartemen', 'Apartment'],
  vehicle: ['Kendaraan', 'Vehicle'], machinery: ['Mesin', 'Machinery'], inventory: ['Persediaan', 'Inventory'],
  deposit: ['Deposito', 'Deposit'],
  WEAK_CHARACTER: ['Karakter lemah', 'Weak character'], INSUFFICIENT_CAPACITY: ['Kapasitas tidak memadai', 'Insufficient capacity'],
  INSUFFICIENT_CAPITAL: ['Modal tidak memadai', 'Insufficient capital'],
  INSUFFICIENT_COLLATERAL: ['Agunan tidak memadai', 'Insufficient collateral'],
  ADVERSE_CONDITIONS: ['Kondisi tidak mendukung', 'Adverse conditions'],
  IDENTITY_MISMATCH: ['Identitas tidak sesuai', 'Identity mismatch'],
  RESIDENCE_NOT_VERIFIED: ['Tempat tinggal tidak terverifikasi', 'Residence not verified'],
  EMPLOYMENT_NOT_VERIFIED: ['Pekerjaan tidak terverifikasi', 'Employment not verified'],
  INCOME_NOT_VERIFIED: ['Penghasilan tidak terverifikasi', 'Income not verified'],
  FRAUD_SUSPECTED: ['Dugaan kecurangan', 'Fraud suspected'],
  RISK_NOT_ACCEPTABLE: ['Risiko tidak dapat diterima', 'Risk not acceptable'],
  INCOMPLETE_ANALYSIS: ['Analisis belum lengkap', 'Incomplete analysis'],
  POLICY_EXCEPTION_REFUSED: ['Pengecualian kebijakan ditolak', 'Policy exception refused'],
  DEBTOR_WITHDREW: ['Debitur mengundurkan diri', 'Debtor withdrew'],
  CONTRACT_TERMS_REFUSED: ['Syarat perjanjian ditolak', 'Contract terms refused'],
};

// Form titles and descriptions in Indonesian, by the form's file name (English: the schema's own).
const FORMS = {
  collect_documents: ['Daftar periksa dokumen', 'Dokumen yang sudah diserahkan pemohon; kelimanya diperlukan sebelum pemeriksaan SLIK.'],
  follow_up_documents: ['Tindak lanjut dokumen', 'Bagaimana AO menagih dokumen yang kurang dan apa jawaban pemohon.'],
  survey_applicant: ['Survei lapangan', 'Apa yang diverifikasi surveyor saat kunjungan: penghasilan, tempat tinggal, pekerjaan atau usaha, tanggungan, dan hasil survei.'],
  analyse_credit: ['Analisis kredit', 'Skor 5C (1 lemah s.d. 5 kuat), taksasi agunan, tingkat risiko dan rekomendasi analis.'],
  approve_credit: ['Keputusan kredit', 'Putuskan sesuai batas wewenang Anda (BWMK): setujui (plafon rekomendasi atau lebih rendah), tolak, atau kembalikan ke analis.'],
  vote_committee: ['Suara komite kredit', 'Suara Anda sebagai anggota komite: setujui (plafon rekomendasi atau lebih rendah), tolak, atau kembalikan ke analis. Suara terbanyak memutuskan.'],
  sign_contract: ['Penandatanganan akad', 'Apakah debitur menandatangani perjanjian kredit, nomor dan tanggalnya, atau mengapa tidak ditandatangani.'],
  bind_collateral: ['Pengikatan agunan', 'Pengikatan agunan yang terdaftar (APHT hak tanggungan atau sertifikat fidusia).'],
  notify_rejection: ['Pemberitahuan penolakan', 'Bagaimana pemohon diberi tahu bahwa aplikasinya ditolak.'],
  escalate_overdue_task: ['Tugas terlambat', 'Survei, analisis atau persetujuan melewati tingkat layanan: tindakan yang diambil supervisor.'],
  follow_up_late_payment: ['Tindak lanjut keterlambatan bayar', 'Bagaimana AO menghubungi debitur yang terlambat dan apa yang disepakati.'],
  prepare_rescue_plan: ['Rencana penyelamatan kredit', 'Usulan penyelamatan kredit bermasalah: penjadwalan kembali, persyaratan kembali atau penataan kembali.'],
  approve_rescue_plan: ['Keputusan rencana penyelamatan', 'Pemutus memutuskan rencana penyelamatan sesuai batas wewenangnya (baki debet pinjaman).'],
  visit_debtor: ['Kunjungan debitur komersial', 'Apa yang dilihat AO di tempat usaha debitur dan pada agunannya.'],
  start_application: ['Aplikasi kredit', 'Aplikasi yang didaftarkan AO: produk, jumlah, tenor, sumber prospek, pemohon dan, untuk produk beragunan, agunannya.'],
};

// The server's messages (English) that the officers read in Indonesian.
const SERVER_MESSAGES = {
  'This field is required.': 'Wajib diisi.',
  'Must be a whole number (integer Rupiah for amounts).': 'Harus bilangan bulat (Rupiah tanpa desimal).',
  'Unknown field.': 'Isian tidak dikenal.',
};
const FIELD_ERRORS = { // replaces the form's `x-error` text in Indonesian
  recommended_amount: 'Isi plafon yang direkomendasikan, Rp 1.000.000 s.d. Rp 50.000.000.000, bila merekomendasikan persetujuan.',
  rejection_reason: 'Pilih alasannya.',
  approved_amount: 'Isi plafon yang disetujui bila menyetujui: paling sedikit Rp 1.000.000 dan paling banyak plafon yang direkomendasikan.',
  notes: 'Tulis catatan paling banyak 2.000 karakter; bila mengembalikan aplikasi, jelaskan apa yang harus diperiksa ulang oleh analis.',
  binding_reference: 'Isi nomor sertifikat (4–60 karakter) bila agunan telah diikat.',
  contract_number: 'Isi nomor perjanjian bila akad ditandatangani: 4–40 huruf kapital, angka, "/", "." atau "-", diawali huruf atau angka.',
  signed_on: 'Isi tanggal penandatanganan yang benar, TTTT-BB-HH, bila akad ditandatangani.',
  nik: 'NIK harus tepat 16 digit.', birth_date: 'Isi tanggal lahir yang benar, TTTT-BB-HH.',
  phone: 'Isi nomor telepon 8–15 digit, boleh diawali +.',
  collateral: 'Isi agunan (jenis dan nilai taksasinya): produk ini beragunan.',
};

const pick = (pair, lang) => (pair ? pair[lang === 'en' ? 1 : 0] : undefined);

export function format(text, vars = {}) {
  return String(text).replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

export function translator(lang) {
  const table = UI[lang] || UI.id;
  const t = (key, vars) => format(table[key] ?? UI.en[key] ?? key, vars);
  t.lang = lang;
  t.word = (kind, value) => pick(WORDS[kind]?.[value], lang) ?? (value == null ? '' : String(value));
  t.field = (name, fallback) => pick(FIELDS[name], lang) ?? fallback ?? name;
  t.form = (id) => {
    if (lang !== 'id' || !id) return undefined;
    return FORMS[String(id).split('/').pop().replace(/\.schema\.json$/, '')];
  };
  t.choice = (value) => pick(CHOICES[value] ?? WORDS.product[value], lang) ?? String(value);
  t.serverMessage = (field, message, xError) => {
    if (lang !== 'id') return message;
    const leaf = field.split('.').pop();
    if (xError && message === xError && FIELD_ERRORS[leaf]) return FIELD_ERRORS[leaf];
    if (FIELD_ERRORS[leaf] && /^Choose the reason/.test(message)) return FIELD_ERRORS[leaf];
    return SERVER_MESSAGES[message] ?? message;
  };
  return t;
}

export const I18n = createContext(translator('id'));
export const useT = () => useContext(I18n);

const rupiahDigits = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });

/** `Rp 150.000.000` (Indonesian grouping whatever the interface language). */
export function rupiah(value) {
  if (value === null || value === undefined || value === '') return '—';
  const amount = Number(value);
  return `${amount < 0 ? '-' : ''}Rp ${rupiahDigits.format(Math.abs(amount))}`;
}

/** Basis points as percent: 2439 → `24,39 %` (id) or `24.39 %` (en). */
export function percentBp(bp, lang) {
  if (bp === null || bp === undefined) return '—';
  const text = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'id-ID', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    .format(Number(bp) / 100);
  return `${text} %`;
}

export function number(value, lang, digits = 0) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'id-ID', { maximumFractionDigits: digits }).format(value);
}

/** An API timestamp (UTC) shown in Western Indonesian Time. */
export function when(iso, lang) {
  if (!iso) return '—';
  const text = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'id-ID', {
    dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Jakarta',
  }).format(new Date(iso));
  return `${text} WIB`;
}

export function age(iso, t, now = Date.now()) {
  const minutes = Math.floor((now - new Date(iso).getTime()) / 60000);
  if (minutes < 1) return t('ageJustNow');
  if (minutes < 60) return t('ageMinutes', { n: minutes });
  if (minutes < 48 * 60) return t('ageHours', { n: Math.floor(minutes / 60) });
  return t('ageDays', { n: Math.floor(minutes / 1440) });
}
